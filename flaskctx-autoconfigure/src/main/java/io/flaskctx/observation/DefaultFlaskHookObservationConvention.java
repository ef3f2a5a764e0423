package io.flaskctx.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names and tags of a hook invocation: observation {@code flaskctx.hook}, low-cardinality key values
 * {@code app}, {@code kind} ({@code before_request}, {@code after_request}, {@code after_this_request},
 * {@code teardown_request}, {@code teardown_appcontext}), {@code hook} ({@code Class.method}) and
 * {@code outcome} ({@code success}, {@code error}, {@code short_circuit}); a span is named
 * {@code "<kind> <hook>"}.
 */
public class DefaultFlaskHookObservationConvention implements FlaskHookObservationConvention {

    /** The observation's name. */
    public static final String NAME = "flaskctx.hook";

    /** Creates the default convention. */
    public DefaultFlaskHookObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(FlaskHookContext context) {
        return context.getKind().flaskName() + " " + context.getHook();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(FlaskHookContext context) {
        return KeyValues.of("app", context.getApp().name(), "kind", context.getKind().flaskName(),
                "hook", context.getHook(), "outcome", context.getOutcome());
    }
}
