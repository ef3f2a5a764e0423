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
 * collector finds abandoned releases it then. {@code flaskctx.copies.pending} counts the shares outstanding.
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
        RequestContext top = Globals.REQUEST.top();
        if (top == null) {
            throw new OutsideContextException("'copy_current_request_context' can only be used when a request"
                    + " context is active, such as in a handler or a before hook.");
        }
        // a request context always has its app context beneath it
        return new ContextCopy(Objects.requireNonNull(Globals.APP.top()).root(), top.root());
    }

    /** The handle's own share the first time, a new share afterwards. */
    private Share take() {
        Share share = own;
        if (share != null) {
            own = null;
            if (share.isOpen()) {
                return share;
            }
        }
        return Share.acquire(app, request);
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Copied<Void, RuntimeException> copied = copied(() -> {
            task.run();
            return null;
        });
        return copied::run;
    }

    /**
     * {@return a task that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Callable<T> wrapCallable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Copied<T, Exception> copied = copied(task::call);
        return copied::run;
    }

    /**
     * {@return a supplier that runs once with the contexts pushed, then restores its thread}
     *
     * @param task the work to run with the copied contexts
     * @param <T> its result type
     */
    public <T> Supplier<T> wrapSupplier(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        Copied<T, RuntimeException> copied = copied(task::get);
        return copied::run;
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
            Copied<Void, RuntimeException> copied = new Copied<>(Share.acquire(app, request), () -> {
                command.run();
                return null;
            });
            try {
                executor.execute(copied::run);
            } catch (RejectedExecutionException | Error e) {
                copied.share.run();
                throw e;
            }
        };
    }

    /** Every wrap: the task takes its share now and enters it when it runs. */
    private <T, E extends Exception> Copied<T, E> copied(Work<T, E> work) {
        try {
            return new Copied<>(take(), work);
        } finally {
            // Until the share is registered to the task, this handle's Cleaner may still release it.
            Reference.reachabilityFence(this);
        }
    }

    /** A task's body, whatever its functional type; {@code E} keeps a Runnable's free of checked exceptions. */
    private interface Work<T extends @Nullable Object, E extends Exception> {
        @Nullable T run() throws E;
    }

    /**
     * A wrapped task and its share. The share is released if this is collected before it runs; once it runs,
     * {@link #run()} keeps it reachable to the end, since the JIT may otherwise count a running object as
     * garbage and let its Cleaner release the share just before {@code enter} takes it.
     */
    private static final class Copied<T extends @Nullable Object, E extends Exception> {

        private final Share share;
        private final Work<T, E> work;

        Copied(Share share, Work<T, E> work) {
            this.share = share;
            this.work = work;
            share.releaseWhenUnreachable(this);
        }

        @Nullable T run() throws E {
            try (Scope scope = share.enter()) {
                return work.run();
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

    /** The copied contexts pushed on one thread; closing pops them, request first, and releases their share. */
    public static final class Scope implements AutoCloseable {

        private final AppContext app;
        private final @Nullable RequestContext request;
        private boolean closed;

        Scope(AppContext app, @Nullable RequestContext request) {
            this.app = app;
            this.request = request;
        }

        /** Pops the copies (once); the last copy of all runs the teardown of the originals. */
        @Override
        public void close() {
            close(null);
        }

        /**
         * Pops the copies (once), reporting the error that ended the work: the originals' teardown receives it
         * when their owner ended without one (the request went async and this copy finished it).
         *
         * @param error the unhandled error, or null
         */
        public void close(@Nullable Throwable error) {
            if (closed) {
                return;
            }
            closed = true;
            if (error != null) {
                app.offerError(error);
                if (request != null) {
                    request.offerError(error);
                }
            }
            try {
                if (request != null) {
                    request.pop();
                }
            } finally {
                app.pop();
                ContextStats.countCopyDone();
            }
        }
    }
}
