package io.flaskctx.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code flaskctx.appcontext} observations. Declare a bean of this type to replace
 * {@link DefaultAppContextObservationConvention}.
 */
public interface AppContextObservationConvention extends ObservationConvention<AppContextObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AppContextObservationContext;
    }
}
