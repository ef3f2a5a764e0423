package io.flaskctx;

import java.lang.ref.Reference;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The current contexts, captured to run work on another thread: Flask's {@code copy_current_request_context}
 * and {@code copy_current_app_context}, from {@link Flask#copyCurrentRequestContext()} and
 * {@link Flask#copyCurrentAppContext()}.
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
 * shares. A task that
 * never runs must not hold teardown forever: a task rejected by {@link #wrap(Executor) a wrapped executor}
 * releases its share at once, {@link #close()} releases an unused handle's, and a handle or task the garbage
 * collector finds abandoned releases it then (the first task keeps its handle reachable and uses the handle's
 * share, so the two are found abandoned together). {@code flaskctx.copies.pending} counts the shares outstanding.
 */
public final class ContextCopy implements AutoCloseable {

    private final AppContext app;
    private final @Nullable RequestContext request;
    private volatile @Nullable Share own;

    private ContextCopy(AppContext app, @Nullable RequestContext request) {
        this.app = app;
        this.request = request;
        this.own = Share.acquire(app, request).releaseWhenUnreachable(this);
    }

    static ContextCopy ofCurrentApp() {
        AppContext top = Globals.APP.top();
        if (top == null) {
            throw new OutsideContextException("'copy_current_app_context' can only be used when an application"
                    + " context is active: in a request, or inside try (var ctx = app.appContext().push()) { ... }.");
        }
        return new ContextCopy(top.root(), null);
    }

    static ContextCopy ofCurrentRequest() {
        Object[] frame = ContextStack.frameHere();
        RequestContext top = frame == null ? null : Globals.REQUEST.top(frame);
        if (frame == null || top == null) {
            throw new OutsideContextException("'copy_current_request_context' can only be used when a request"
                    + " context is active, such as in a handler or a before hook.");
        }
        // a request context always has its app context beneath it
        return new ContextCopy(Objects.requireNonNull(Globals.APP.top(frame)).root(), top.root());
    }

    /** The handle's own share the first time, a new share afterwards. */
    private Share take() {
        Share share = takeOwn();
        return share != null ? share : Share.acquire(app, request);
    }

    /** The handle's own share, once, while it is open; null afterwards. */
    private @Nullable Share takeOwn() {
        Share share = own;
        if (share == null) {
            return null;
        }
        own = null;
        return share.isOpen() ? share : null;
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            return new CopiedRunnable(this, task);
        } finally {
            // Until the task holds the share, this handle's Cleaner may still release it.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Callable<T> wrapCallable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        try {
            return new CopiedCallable<>(this, task);
        } finally {
            Reference.reachabilityFence(this); // see wrap(Runnable)
        }
    }

    /**
     * {@return a supplier that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Supplier<T> wrapSupplier(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        try {
            return new CopiedSupplier<>(this, task);
        } finally {
            Reference.reachabilityFence(this); // see wrap(Runnable)
        }
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
            CopiedRunnable copied = new CopiedRunnable(Share.acquire(app, request), command);
            try {
                executor.execute(copied);
            } catch (RejectedExecutionException | Error e) {
                copied.share.run();
                throw e;
            }
        };
    }

    /**
     * A wrapped task and its share, which is released if the task is collected before it runs. It takes the
     * handle's own share the first time, and then keeps the handle reachable, whose registration guards that
     * share; a later task takes a new share, guarded through the task itself. Once it runs, the task keeps itself
     * reachable to the end, since the JIT may otherwise count a running object as garbage and let the Cleaner
     * release the share just before {@code enter} takes it. One class per functional type, each calling its task
     * directly: a copy costs no lambda.
     */
    private abstract static class Copied {

        final Share share;
        // The handle whose share this task took, kept reachable with the task; null for a share of its own.
        private final @Nullable ContextCopy handle;

        Copied(ContextCopy handle) {
            Share taken = handle.takeOwn();
            this.handle = taken != null ? handle : null;
            this.share = taken != null ? taken : Share.acquire(handle.app, handle.request).releaseWhenUnreachable(this);
        }

        Copied(Share share) {
            this.share = share.releaseWhenUnreachable(this);
            this.handle = null;
        }

        final Scope enter() {
            return share.enter();
        }
    }

    private static final class CopiedRunnable extends Copied implements Runnable {
        private final Runnable task;

        CopiedRunnable(ContextCopy handle, Runnable task) {
            super(handle);
            this.task = task;
        }

        CopiedRunnable(Share share, Runnable task) {
            super(share);
            this.task = task;
        }

        @Override
        public void run() {
            try (Scope scope = enter()) {
                task.run();
            } finally {
                Reference.reachabilityFence(this);
            }
        }
    }

    private static final class CopiedCallable<T> extends Copied implements Callable<T> {
        private final Callable<T> task;

        CopiedCallable(ContextCopy handle, Callable<T> task) {
            super(handle);
            this.task = task;
        }

        @Override
        public T call() throws Exception {
            try (Scope scope = enter()) {
                return task.call();
            } finally {
                Reference.reachabilityFence(this);
            }
        }
    }

    private static final class CopiedSupplier<T> extends Copied implements Supplier<T> {
        private final Supplier<T> task;

        CopiedSupplier(ContextCopy handle, Supplier<T> task) {
            super(handle);
            this.task = task;
        }

        @Override
        public T get() {
            try (Scope scope = enter()) {
                return task.get();
            } finally {
                Reference.reachabilityFence(this);
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
        try {
            return take().enter();
        } finally {
            Reference.reachabilityFence(this); // see copied(Work)
        }
    }

    /** Releases this handle's share if no task took it: an unused copy must not hold teardown. */
    @Override
    public void close() {
        Share share = own;
        own = null;
        if (share != null) {
            share.run();
        }
    }

    @Override
    public String toString() {
        return "<ContextCopy of " + (request != null ? request : app) + ">";
    }

    /**
     * The copied contexts pushed on one thread; closing pops them, request first, and releases their share. It is
     * the copy's share itself, entered: a copy run on a thread costs one object for both.
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
                ContextStats.countCopyDone();
            }
        }
    }
}
