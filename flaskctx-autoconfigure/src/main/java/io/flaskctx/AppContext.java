package io.flaskctx;

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

    private final G g;
    private final ContextOrigin origin;

    AppContext(FlaskApp app, ContextOrigin origin) {
        super(app);
        this.g = new AppCtxGlobals(app);
        this.origin = origin;
    }

    private AppContext(AppContext root, boolean carrier) {
        super(root, carrier);
        this.g = root.g;
        this.origin = root.origin;
    }

    /** @return where this context came from (its copies say the same), the {@code origin} tag of the meters */
    @Override
    public ContextOrigin origin() {
        return origin;
    }

    /**
     * {@return this context's {@code g}}
     */
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
        checkThread();
        enter();
        ContextListener listener = app.contextListener();
        if (listener != null) {
            listener.appContextPushed(this);
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
        checkCurrent();
        if (!leave()) {
            Globals.APP.pop();
            popped();
            // Flask sends appcontext_popped on every pop of a context pushed more than once.
            if (root == this) {
                signalPopped();
            }
            return;
        }
        Throwable failure;
        try {
            failure = popLast(error, this);
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
        releaseShare(this);
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
