package io.flaskctx.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code flaskctx.hook} observations. Declare a bean of this type to replace
 * {@link DefaultFlaskHookObservationConvention} (extend it to add key values to the default ones).
 */
public interface FlaskHookObservationConvention extends ObservationConvention<FlaskHookContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof FlaskHookContext;
    }
}
