package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * Watches every invocation of an app's hooks, one at a time, for tracing and timing (flaskctx only; Flask has
 * no counterpart, its hooks are plain calls). Install it with {@link FlaskApp#setHookObserver(HookObserver)};
 * the starter installs one that makes each invocation a Micrometer {@code Observation} where an
 * {@code ObservationRegistry} is present. Without one, a hook is called directly and the app pays nothing.
 *
 * <p>For each invocation the app calls {@link #start} on the thread that runs the hook, just before it, and
 * {@link Invocation#stop} on the same thread just after it, whether it returned or threw.
 */
public interface HookObserver {

    /**
     * A hook is about to run.
     *
     * @param app the app whose hook it is
     * @param kind the kind of hook
     * @param hook the hook itself (a {@code Function} or {@code Consumer}); {@link #nameOf(Object)} names it
     * @return what to tell when the hook has run, not null
     */
    Invocation start(FlaskApp app, HookKind kind, Object hook);

    /**
     * The name of a hook as diagnostics show it: {@code Class.method} for a hook method of a bean,
     * {@code lambda in Class} for a lambda, else the hook's {@code toString()}. The actuator endpoint lists hooks
     * by the same names.
     *
     * @param hook the hook
     * @return its name
     */
    static String nameOf(Object hook) {
        String name = hook.toString();
        int lambda = name.indexOf("$$Lambda");
        return lambda >= 0 ? "lambda in " + name.substring(0, lambda) : name;
    }

    /** One invocation that {@link #start} was told about. */
    interface Invocation {

        /**
         * The hook has run.
         *
         * @param result what a before-request hook returned (non-null ends the request), null for other kinds
         * @param error what the hook threw, or null when it returned
         */
        void stop(@Nullable Object result, @Nullable Throwable error);
    }
}
