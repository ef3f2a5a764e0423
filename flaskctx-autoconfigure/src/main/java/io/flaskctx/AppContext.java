package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    private static final System.Logger logger = System.getLogger(AppContext.class.getName());
    private static final VarHandle LIFETIME;

    static {
        try {
            LIFETIME = MethodHandles.lookup().findVarHandle(AppContext.class, "lifetime", Lifetime.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlaskApp app;
    private final G g;
    // This context, or the one it is a copy of (a copy runs the same app with the same g on another thread).
    private final AppContext root;
    // A copy pushed only to run a deferred teardown: it holds no share.
    private final boolean carrier;
    // How often this context is on the stack of the thread that pushed it; plain fields, as a context is
    // confined to one thread while pushed (checked on push).
    private int pushes;
    private int countedPushes;
    private Thread thread;
    private PushSites.PushSite pushSite;
    // Created by the first copy of this (root) context; until then teardown needs no coordination.
    private volatile Lifetime lifetime;

    AppContext(FlaskApp app) {
        this.app = app;
        this.g = new AppCtxGlobals(app);
        this.root = this;
        this.carrier = false;
    }

    private AppContext(AppContext root, boolean carrier) {
        this.app = root.app;
        this.g = root.g;
        this.root = root;
        this.carrier = carrier;
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
        if (pushes == 0 && lifetime != null) {
            lifetime.restart();
        }
        thread = current;
        pushes++;
        pushSite = PushSites.here(this);
        if (ContextStats.countPush(app, ContextType.APP, depth)) {
            countedPushes++;
        }
        SignalReceiver signals = root == this ? app.signalReceiver() : null;
        if (signals != null) {
            signals.appcontextPushed(app);
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
            ContextStats.countPop(app, ContextType.APP);
        }
        if (--pushes > 0) {
            Globals.APP.pop();
            signalPopped();
            return;
        }
        thread = null;
        try {
            if (root != this) {
                // A copy ends: its share of the original ends with it, and the last one runs the teardown.
                if (!carrier) {
                    root.releaseShare();
                }
            } else {
                Lifetime life = lifetime;
                if (life == null || life.end(error)) {
                    app.doTeardownAppContext(error);
                }
                // else copies still run: the last of them tears down
            }
        } finally {
            Globals.APP.pop();
            pushSite = null;
        }
        signalPopped();
    }

    private void signalPopped() {
        SignalReceiver signals = root == this ? app.signalReceiver() : null;
        if (signals != null) {
            signals.appcontextPopped(app);
        }
    }

    /** A copy's error, for the teardown of the original when the owner ended without one. */
    void offerError(Throwable error) {
        Lifetime.offerError(root.lifetime, error);
    }

    /** The root of this context's copies: this context, or the one it was copied from. */
    AppContext root() {
        return root;
    }

    /** A new copy of this root context for another thread: the same app and g. */
    AppContext copy() {
        return new AppContext(root, false);
    }

    /** A copy that holds no share: pushed only so that a deferred teardown finds its context current. */
    AppContext carrierCopy() {
        return new AppContext(root, true);
    }

    /**
     * Takes a share of this root context's lifetime for a copy: teardown waits until it is released.
     *
     * @return false when the context has already torn down
     */
    boolean acquireShare() {
        return Lifetime.acquire(LIFETIME, this);
    }

    /** Releases a share; the last one after the owner's pop runs the teardown here. */
    void releaseShare() {
        if (!lifetime.release()) {
            return;
        }
        Throwable error = lifetime.error();
        AppContext top = Globals.APP.top();
        if (top != null && top.root == this) {
            teardownLogged(error);
            return;
        }
        // Released where no copy is current (an abandoned or rejected task): hooks still get their context.
        AppContext carrierCopy = carrierCopy().push();
        try {
            teardownLogged(error);
        } finally {
            carrierCopy.pop();
        }
    }

    private void teardownLogged(Throwable error) {
        try {
            app.doTeardownAppContext(error);
        } catch (RuntimeException | Error failure) {
            // The owner has long returned; the copy that finished last is no place to throw this.
            logger.log(System.Logger.Level.WARNING, "A teardown_appcontext hook of " + this + " failed after its"
                    + " last copy finished; the other hooks ran", failure);
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
