package io.flaskctx;

import java.util.concurrent.Callable;

/**
 * Flask's application context ({@code flask.ctx.AppContext}): while it is pushed on a thread, its app is
 * {@code current_app} there and its {@link G} is {@code g}.
 *
 * <pre>{@code
 * try (var ctx = app.appContext().push()) {   // Flask: with app.app_context():
 *     Flask.g().set("db", connect());
 * }                                          // teardown_appcontext hooks run here
 * }</pre>
 *
 * <p>Contexts nest: pushing a context of another app makes that app current until it is popped, and the outer
 * one comes back. Pushing the same context again is allowed; its teardown hooks run only on the last pop.
 * Pops must come in the reverse order of pushes, on the thread that pushed: a wrong pop throws before
 * anything changes. A context belongs to one thread at a time; threads you start see no context.
 *
 * <p>{@link #close()} cannot see an exception thrown in the {@code try} block, so the teardown hooks then get
 * null; {@link #run(Runnable)} and {@link #call(Callable)} pass the block's exception to them, as Flask's
 * {@code with} does.
 */
public final class AppContext implements AutoCloseable {

    private final FlaskApp app;
    private final G g;
    // How often this context is on the stack of the thread that pushed it; plain fields, as a context is
    // confined to one thread while pushed (checked on push).
    private int pushes;
    private int countedPushes;
    private Thread thread;
    private PushSites.PushSite pushSite;

    AppContext(FlaskApp app) {
        this.app = app;
        this.g = new AppCtxGlobals(app);
    }

    /** @return the app this context belongs to */
    public FlaskApp app() {
        return app;
    }

    /** @return this context's {@code g} */
    public G g() {
        return g;
    }

    /**
     * Makes this context the current one on the calling thread.
     *
     * @return this context, for {@code try (var ctx = app.appContext().push())}
     * @throws IllegalStateException when the context is pushed on another thread right now, or when the push
     *     would exceed the app's {@link FlaskApp#maxContextDepth() depth guard}
     */
    public AppContext push() {
        Thread current = Thread.currentThread();
        if (pushes > 0 && thread != current) {
            throw Globals.pushedElsewhere(this, thread);
        }
        int max = app.maxContextDepth();
        int depth = Globals.APP.push(this);
        if (depth > max) {
            Globals.APP.pop();
            throw Globals.depthExceeded(this, Globals.APP, max);
        }
        thread = current;
        pushes++;
        pushSite = PushSites.here(this);
        if (ContextStats.countPush(ContextType.APP, depth)) {
            countedPushes++;
        }
        return this;
    }

    /**
     * Pops this context; on its last pop the app's teardown-appcontext hooks run with null (see
     * {@link #pop(Throwable)}).
     */
    public void pop() {
        pop(null);
    }

    /**
     * Pops this context. On its last pop the app's teardown-appcontext hooks run first, with {@code error},
     * while the context is still current; the context is popped even when a hook throws.
     *
     * @param error the exception that ended the context's work, or null
     * @throws IllegalStateException when this context is not the current one on the calling thread; nothing
     *     changes then, no teardown runs
     */
    public void pop(Throwable error) {
        if (Globals.APP.top() != this) {
            throw Globals.wrongPop("app", this, Globals.APP);
        }
        if (countedPushes > 0) {
            countedPushes--;
            ContextStats.countPop(ContextType.APP);
        }
        if (--pushes > 0) {
            Globals.APP.pop();
            return;
        }
        thread = null;
        try {
            app.doTeardownAppContext(error);
        } finally {
            Globals.APP.pop();
            pushSite = null;
        }
    }

    /** Pops this context (the end of a try-with-resources block). */
    @Override
    public void close() {
        pop(null);
    }

    /**
     * Runs {@code block} with this context pushed, and pops it afterwards, passing the block's exception (if
     * any) to the teardown hooks; the exception then propagates.
     *
     * @param block the work to do inside the context
     */
    public void run(Runnable block) {
        push();
        try {
            block.run();
        } catch (Throwable failure) {
            popAfter(failure);
            throw failure;
        }
        pop(null);
    }

    /**
     * Calls {@code block} with this context pushed, and pops it afterwards, passing the block's exception (if
     * any) to the teardown hooks; the exception then propagates.
     *
     * @param block the work to do inside the context
     * @param <T> its result type
     * @return the block's result
     * @throws Exception what the block threw
     */
    public <T> T call(Callable<T> block) throws Exception {
        push();
        T result;
        try {
            result = block.call();
        } catch (Throwable failure) {
            popAfter(failure);
            throw failure;
        }
        pop(null);
        return result;
    }

    private void popAfter(Throwable failure) {
        try {
            pop(failure);
        } catch (Throwable teardownFailure) {
            if (teardownFailure != failure) {
                failure.addSuppressed(teardownFailure);
            }
        }
    }

    StackMark.Leak leak() {
        PushSites.PushSite site = pushSite;
        return new StackMark.Leak(ContextType.APP, toString(), site == null ? null : site.caller(), site);
    }

    /** The first frame of the code that pushed this context last, or null unless push sites are captured. */
    String pushedAt() {
        PushSites.PushSite site = pushSite;
        return site == null ? null : site.caller();
    }

    @Override
    public String toString() {
        return "<AppContext of '" + app.name() + "'>";
    }
}
