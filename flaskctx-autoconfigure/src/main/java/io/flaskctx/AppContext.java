package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

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
public final class AppContext extends ContextState<AppContext> implements AutoCloseable {

    private static final VarHandle G_HANDLE;

    static {
        try {
            G_HANDLE = MethodHandles.lookup().findVarHandle(AppContext.class, "g", AppCtxGlobals.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Made by the first g() of the root or any copy (most contexts outside requests never touch g); a copy holds
    // its root's once it exists, else asks the root. A context and its g are the bytes every push costs, so the
    // origin is kept as its ordinal.
    private volatile @Nullable AppCtxGlobals g;
    private final byte origin;

    AppContext(FlaskApp app, ContextOrigin origin) {
        super(app);
        this.origin = (byte) origin.ordinal();
    }

    private AppContext(AppContext root, boolean carrier) {
        super(root, carrier);
        // A plain write, no fence: a copy's g only saves asking the root, and a copy that reads null asks it.
        G_HANDLE.set(this, root.g);
        this.origin = root.origin;
    }

    /** @return where this context came from (its copies say the same), the {@code origin} tag of the meters */
    @Override
    public ContextOrigin origin() {
        return ContextOrigin.all()[origin];
    }

    /**
     * {@return this context's {@code g}}
     */
    public G g() {
        return globals();
    }

    /** {@link #g()} as what it is. */
    AppCtxGlobals globals() {
        AppCtxGlobals current = g;
        return current != null ? current : root.createG();
    }

    /** The root's g, created by the first caller (racing copies on other threads agree on one). */
    private AppCtxGlobals createG() {
        AppCtxGlobals current = g;
        if (current != null) {
            return current;
        }
        AppCtxGlobals created = new AppCtxGlobals(app);
        AppCtxGlobals witness = (AppCtxGlobals) G_HANDLE.compareAndExchange(this, null, created);
        return witness != null ? witness : created;
    }

    /**
     * Makes this context the current one on the calling thread.
     *
     * @return this context, for {@code try (var ctx = app.appContext().push())}
     * @throws IllegalStateException when the context is pushed on another thread right now, or when the push
     *     would exceed the app's {@link FlaskApp#maxContextDepth() depth guard}
     */
    public AppContext push() {
        return push(callerFrame());
    }

    /** {@link #push()} in {@code frame}, the calling thread's, which the caller has already found. */
    AppContext push(Object[] frame) {
        checkThread();
        ContextWatch watch = app.watch();
        enter(frame, watch);
        if (!watch.quiet) {
            ContextListener listener = watch.listener;
            if (listener != null) {
                listener.appContextPushed(this);
            }
            SignalReceiver signals = root == this ? watch.signals : null;
            if (signals != null) {
                signals.appcontextPushed(app);
            }
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
     * while the context is still current; the context is popped even when a hook throws. Contexts the hooks
     * pushed and left pushed are popped as leaks (their own teardown runs; counted and logged), so exactly this
     * context leaves and nothing stays on the thread.
     *
     * @param error the exception that ended the context's work, or null
     * @throws IllegalStateException when this context is not the current one on the calling thread; nothing
     *     changes then, no teardown runs
     * @throws ContextLeakException in strict mode, when the hooks left contexts pushed; thrown once all is popped
     */
    public void pop(@Nullable Throwable error) {
        pop(error, callerFrame());
    }

    /** {@link #pop(Throwable)} in {@code frame}, the calling thread's, which the caller has already found. */
    void pop(@Nullable Throwable error, Object[] frame) {
        checkCurrent(frame);
        if (!leave()) {
            Globals.APP.pop(frame);
            popped();
            // Flask sends appcontext_popped on every pop of a context pushed more than once.
            if (root == this) {
                signalPopped();
            }
            return;
        }
        if (nothingToTearDown()) {
            Globals.APP.pop(frame);
            return;
        }
        Throwable failure;
        try {
            failure = popLast(error, this, frame);
        } finally {
            popped();
        }
        Failures.rethrow(failure);
    }

    private void popped() {
        ContextListener listener = app.contextListener();
        if (listener != null) {
            listener.appContextPopped(this);
        }
    }

    @Override
    void tearDownWhereNoCopyIs(@Nullable Throwable error, AppContext appRoot) {
        AppContext carrierCopy = carrierCopy().push();
        try {
            teardownLogged(error);
        } finally {
            carrierCopy.pop();
        }
        signalPopped();
    }

    /** A new copy of this root context for another thread: the same app and g. */
    AppContext copy() {
        return new AppContext(root, false);
    }

    /** A copy that holds no share: pushed only so that a deferred teardown finds its context current. */
    AppContext carrierCopy() {
        return new AppContext(root, true);
    }

    /** Releases a share; the last one after the owner's pop runs the teardown here. */
    void releaseShare() {
        releaseShare(this, false);
    }

    /**
     * Runs {@code block} with this context pushed, and pops it afterwards, passing the block's exception (if
     * any) to the teardown hooks; the exception then propagates.
     *
     * @param block the work to do inside the context
     */
    public void run(Runnable block) {
        runWithin(block);
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
        return within(block);
    }

    @Override
    public String toString() {
        return "<AppContext of '" + app.name() + "' " + id() + ">";
    }
}
