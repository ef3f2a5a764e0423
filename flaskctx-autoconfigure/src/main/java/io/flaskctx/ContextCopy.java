package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The current contexts, captured to run work on another thread: Flask's {@code copy_current_request_context}
 * and {@code copy_current_app_context}, from {@link Flask#copyCurrentRequestContext()} and
 * {@link Flask#copyCurrentAppContext()}; {@link #wrapCurrent(Runnable)} copies whichever is current into one task.
 *
 * <pre>{@code
 * executor.execute(Flask.copyCurrentRequestContext().wrap(() -> audit(Flask.g().get("user"))));
 * }</pre>
 *
 * <p>A wrapped task runs with the same app, the same request and <b>the same {@code g}</b> as the code that
 * copied it, and leaves its thread exactly as it found it (contexts already there stay, as under
 * {@code CallerRunsPolicy}). The copied contexts tear down exactly once: after the request (or the manual push)
 * has ended <b>and</b> every copy has finished, whichever comes last. Flask instead gives the copy a fresh
 * {@code g} and tears down once per copy.
 *
 * <p>{@code wrap}, {@code wrapCallable} and {@code wrapSupplier} have distinct names so that a lambda is never
 * ambiguous between them. The handle holds a share of the contexts from the moment it is made, so the request
 * cannot tear down before the task starts. The first wrap hands that share to the task; later ones take new
 * shares. A task that never runs must not hold teardown forever: a task rejected by {@link #wrap(Executor) a
 * wrapped executor} releases its share at once, {@link #close()} releases an unused handle's, and once the
 * request (or the manual push) has ended, the shares of handles and tasks the garbage collector finds abandoned
 * are released then (when no unspent copy of the same contexts is held any more; before the end, abandonment
 * cannot delay the teardown, so nothing watches for it). {@code flaskctx.copies.pending} counts the shares
 * outstanding, abandoned ones until they are found.
 */
public final class ContextCopy implements AutoCloseable {

    private static final VarHandle OWN;

    static {
        try {
            OWN = MethodHandles.lookup().findVarHandle(ContextCopy.class, "own", ShareGroup.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AppContext app;
    private final @Nullable RequestContext request;
    // The group of this handle's own share until a task takes the share or close() releases it; null afterwards.
    @SuppressWarnings("unused") // through OWN
    private volatile @Nullable ShareGroup own;

    /**
     * @param appTop the calling thread's current app context
     * @param requestTop its current request context, null to copy the app context alone
     */
    private ContextCopy(AppContext appTop, @Nullable RequestContext requestTop) {
        this.app = appTop.root();
        this.request = requestTop == null ? null : requestTop.root();
        // A plain write, as j.u.c. writes a node's fields before publishing it: a volatile one would cost a full
        // fence per copy, and another thread reaches this handle only through what publishes it (a hand-off).
        OWN.set(this, acquireHere(appTop, requestTop));
    }

    /** Takes a share of the roots of the calling thread's current contexts: {@return its group} */
    private static ShareGroup acquireHere(AppContext appTop, @Nullable RequestContext requestTop) {
        AppContext app = appTop.root();
        RequestContext request = requestTop == null ? null : requestTop.root();
        // A root on top of the calling thread's own stack is pushed by this thread, its owner: it counts its shares
        // without an atomic update (a copy on top means another thread owns the root).
        return Share.acquire(app, request, appTop == app, requestTop != null && requestTop == request);
    }

    /**
     * Wraps {@code task} with the contexts current on the calling thread, whichever they are: the request context
     * and the current app context when a request context is pushed (as
     * {@code Flask.copyCurrentRequestContext().wrap(task)}), the app context alone when only that is (as
     * {@code Flask.copyCurrentAppContext().wrap(task)}). What a task decorator or an executor that propagates
     * contexts needs; the task holds the copy's only share, so no handle is made.
     *
     * @param task the work to run with the current contexts
     * @return a task that runs once with the contexts pushed, then restores its thread; {@code task} itself when
     *     no context is pushed on the calling thread
     */
    public static Runnable wrapCurrent(Runnable task) {
        Objects.requireNonNull(task, "task");
        Object[] frame = ContextStack.frameHere();
        AppContext appTop = frame == null ? null : Globals.APP.top(frame);
        if (frame == null || appTop == null) {
            return task;
        }
        RequestContext requestTop = Globals.REQUEST.top(frame);
        return new CopiedRunnable(appTop.root(), requestTop == null ? null : requestTop.root(),
                acquireHere(appTop, requestTop), task);
    }

    static ContextCopy ofCurrentApp() {
        AppContext top = Globals.APP.top();
        if (top == null) {
            throw new OutsideContextException("'copy_current_app_context' can only be used when an application"
                    + " context is active: in a request, or inside try (var ctx = app.appContext().push()) { ... }.");
        }
        return new ContextCopy(top, null);
    }

    static ContextCopy ofCurrentRequest() {
        Object[] frame = ContextStack.frameHere();
        RequestContext top = frame == null ? null : Globals.REQUEST.top(frame);
        if (frame == null || top == null) {
            throw new OutsideContextException("'copy_current_request_context' can only be used when a request"
                    + " context is active, such as in a handler or a before hook.");
        }
        // a request context always has its app context beneath it
        return new ContextCopy(Objects.requireNonNull(Globals.APP.top(frame)), top);
    }

    /**
     * Copies the current request's contexts for code that submits the work itself and enters this copy on the
     * thread that runs it, as Spring MVC does with a handler's {@code Callable} ({@code CallableContextInterceptor}).
     * Until this copy is entered or closed, the calling thread has the request handed off ({@link #isHandedOff()}):
     * the contexts already travel with this copy, so what propagates contexts to every task by itself
     * ({@code CopyContextTaskDecorator}, {@code FlaskContextAccessor}) leaves the work that thread submits meanwhile
     * alone.
     * A second copy there would last as long as the executor's task, which may end after the request has been
     * answered and recycled, and the request's teardown would then run late, on the executor's thread.
     *
     * @return the copy, holding a share of the contexts like any other
     * @throws OutsideContextException when no request context is pushed on the calling thread
     */
    public static ContextCopy handOffCurrentRequest() {
        ContextCopy copy = ofCurrentRequest();
        // the copy took a share, so the request has a lifetime
        Objects.requireNonNull(Objects.requireNonNull(copy.request).lifetime()).handOff(copy);
        return copy;
    }

    /**
     * {@return whether the calling thread {@linkplain #handOffCurrentRequest() handed off} its current request: a
     * copy it made waits to be entered where its work runs; false outside a request, and false on the other
     * threads that run copies of the same request meanwhile (their work is theirs to propagate)}
     */
    public static boolean isHandedOff() {
        Object[] frame = ContextStack.frameHere();
        RequestContext top = frame == null ? null : Globals.REQUEST.top(frame);
        Lifetime life = top == null ? null : top.root().lifetime();
        return life != null && life.handedOffHere();
    }

    /** The handle's own share the first time, a new share afterwards: {@return its group} */
    private ShareGroup take() {
        ShareGroup group = (ShareGroup) OWN.getAndSet(this, null);
        if (group == null) {
            return Share.acquire(app, request);
        }
        handedOver();
        return group;
    }

    /** This handle's own share is spent or released: a hand-off of it is over. */
    private void handedOver() {
        Lifetime life = request == null ? null : request.lifetime();
        if (life != null) {
            life.handedOver(this);
        }
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return new CopiedRunnable(app, request, take(), task);
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Callable<T> wrapCallable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return new CopiedCallable<>(app, request, take(), task);
    }

    /**
     * {@return a supplier that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Supplier<T> wrapSupplier(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        return new CopiedSupplier<>(app, request, take(), task);
    }

    /**
     * Returns an executor that runs every task with the copied contexts, each with a share of its own; a task
     * the executor rejects releases its share at once. Submit while the contexts are alive. This handle's own
     * share is released now.
     *
     * @param executor where the tasks run
     * @return the wrapping executor
     */
    public Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        close();
        return command -> {
            Objects.requireNonNull(command, "command");
            CopiedRunnable copied = new CopiedRunnable(app, request, Share.acquire(app, request), command);
            try {
                executor.execute(copied);
            } catch (RejectedExecutionException | Error e) {
                copied.release();
                throw e;
            }
        };
    }

    /**
     * A wrapped task: a share of its own that calls the task between entering and closing. One class per
     * functional type, each calling its task directly: a copy costs no lambda, and no object besides the task's.
     */
    private static final class CopiedRunnable extends Share implements Runnable {
        private final Runnable task;

        CopiedRunnable(AppContext app, @Nullable RequestContext request, ShareGroup group, Runnable task) {
            super(app, request, group);
            this.task = task;
        }

        @Override
        public void run() {
            try (Scope scope = enter()) {
                task.run();
            }
        }
    }

    private static final class CopiedCallable<T> extends Share implements Callable<T> {
        private final Callable<T> task;

        CopiedCallable(AppContext app, @Nullable RequestContext request, ShareGroup group, Callable<T> task) {
            super(app, request, group);
            this.task = task;
        }

        @Override
        public T call() throws Exception {
            try (Scope scope = enter()) {
                return task.call();
            }
        }
    }

    private static final class CopiedSupplier<T> extends Share implements Supplier<T> {
        private final Supplier<T> task;

        CopiedSupplier(AppContext app, @Nullable RequestContext request, ShareGroup group, Supplier<T> task) {
            super(app, request, group);
            this.task = task;
        }

        @Override
        public T get() {
            try (Scope scope = enter()) {
                return task.get();
            }
        }
    }

    /**
     * Pushes the copied contexts on the calling thread until the returned scope is closed, for integrations whose
     * push and pop happen in separate callbacks. Like {@code wrap}, it uses this handle's share first.
     *
     * @return the scope; close it on the same thread
     */
    public Scope enter() {
        return new Share(app, request, take()).enter();
    }

    /** Releases this handle's share if no task took it: an unused copy must not hold teardown. */
    @Override
    public void close() {
        ShareGroup group = (ShareGroup) OWN.getAndSet(this, null);
        if (group != null) {
            handedOver();
            Share.releaseUnused(group, app, request);
        }
    }

    @Override
    public String toString() {
        return "<ContextCopy of " + (request != null ? request : app) + ">";
    }

    /**
     * The copied contexts pushed on one thread; closing pops them, request first, and releases their share. It is
     * the copy's share itself, entered (for a wrapped task, the task itself): a copy run on a thread costs one
     * object for all of them.
     */
    public abstract static sealed class Scope implements AutoCloseable permits Share {

        // Until the share is entered, the contexts it was copied from (the roots); from then on, the copies pushed
        // on the entering thread. Only the thread that spent the share writes them, and only after spending it, so
        // a release of an unspent share (possibly on another thread) always reads the roots.
        AppContext app;
        @Nullable RequestContext request;
        // True from the push of the copies until the first close.
        private boolean pushed;

        Scope(AppContext app, @Nullable RequestContext request) {
            this.app = app;
            this.request = request;
        }

        /** The copies are pushed: this scope now pops them. */
        final void entered(AppContext appCopy, @Nullable RequestContext requestCopy) {
            this.app = appCopy;
            this.request = requestCopy;
            this.pushed = true;
        }

        /** Pops the copies (once); the last copy of all runs the teardown of the originals. */
        @Override
        public final void close() {
            close(null);
        }

        /**
         * Pops the copies (once), reporting the error that ended the work: the originals' teardown receives it
         * when their owner ended without one (the request went async and this copy finished it).
         *
         * @param error the unhandled error, or null
         */
        public final void close(@Nullable Throwable error) {
            if (!pushed) {
                return;
            }
            pushed = false;
            AppContext appCopy = app;
            RequestContext requestCopy = request;
            if (error != null) {
                appCopy.offerError(error);
                if (requestCopy != null) {
                    requestCopy.offerError(error);
                }
            }
            // One frame serves both pops: the one the copies were pushed in, when this is their thread.
            Object[] frame = appCopy.callerFrame();
            try {
                if (requestCopy != null) {
                    requestCopy.pop(null, frame);
                }
            } finally {
                appCopy.pop(null, frame);
                ContextStats.countCopyDone(appCopy);
            }
        }
    }
}
