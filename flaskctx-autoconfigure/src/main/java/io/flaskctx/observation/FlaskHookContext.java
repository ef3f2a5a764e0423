package io.flaskctx.observation;

import io.flaskctx.FlaskApp;
import io.flaskctx.HookKind;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * What a {@code flaskctx.hook} observation knows about one invocation of a Flask hook ({@code before_request},
 * {@code after_request}, {@code after_this_request}, {@code teardown_request} or {@code teardown_appcontext}):
 * the app, the kind, the hook's name and how it ended. Conventions read it to name and tag the observation.
 */
public class FlaskHookContext extends Observation.Context {

    /** The outcome of a hook that returned normally. */
    public static final String SUCCESS = "success";
    /** The outcome of a hook that threw; the exception is the observation's error. */
    public static final String ERROR = "error";
    /** The outcome of a before-request hook that returned a value, ending the request (Flask's short circuit). */
    public static final String SHORT_CIRCUIT = "short_circuit";

    private final FlaskApp app;
    private final HookKind kind;
    private final String hook;
    private String outcome = SUCCESS;

    /**
     * Creates a {@code FlaskHookContext}.
     *
     * @param app the app whose hook runs
     * @param kind the kind of hook
     * @param hook the hook's name ({@code Class.method}, see {@link io.flaskctx.HookObserver#nameOf(Object)})
     */
    public FlaskHookContext(FlaskApp app, HookKind kind, String hook) {
        this.app = Objects.requireNonNull(app, "app");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** {@return the app whose hook runs} */
    public FlaskApp getApp() {
        return app;
    }

    /** {@return the kind of hook} */
    public HookKind getKind() {
        return kind;
    }

    /** {@return the hook's name, {@code Class.method}} */
    public String getHook() {
        return hook;
    }

    /** {@return {@link #SUCCESS}, {@link #ERROR} or {@link #SHORT_CIRCUIT}; success until the hook has run} */
    public String getOutcome() {
        return outcome;
    }

    /**
     * Sets how the hook ended; the observer does, just before it stops the observation.
     *
     * @param outcome {@link #SUCCESS}, {@link #ERROR} or {@link #SHORT_CIRCUIT}
     */
    public void setOutcome(String outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }
}
