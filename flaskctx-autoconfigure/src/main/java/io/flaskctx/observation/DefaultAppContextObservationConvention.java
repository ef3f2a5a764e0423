package io.flaskctx.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of an app context pushed outside a request: observation {@code flaskctx.appcontext},
 * low-cardinality key values {@code app} and {@code origin} ({@code manual}, {@code scheduled}, {@code runner},
 * {@code method}); a span is named {@code "app_context <app>"}.
 */
public class DefaultAppContextObservationConvention implements AppContextObservationConvention {

    /** The observation's name. */
    public static final String NAME = "flaskctx.appcontext";

    /** Creates the default convention. */
    public DefaultAppContextObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(AppContextObservationContext context) {
        return "app_context " + context.getApp().name();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AppContextObservationContext context) {
        return KeyValues.of("app", context.getApp().name(), "origin", context.getOrigin().tag());
    }
}
