package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import org.jspecify.annotations.Nullable;

/**
 * One copy's hold on the contexts it was copied from: while it is open their teardown waits. It is spent
 * exactly once, either by running (the copies it pushes release it as they pop) or by being released unused
 * (a handle closed, a task rejected by its executor, or a task or handle the garbage collector found
 * abandoned), so a copy that never runs cannot hold teardown forever.
 *
 * <p>A share is watched for abandonment through one holder for its whole life, and is itself the cleaning action
 * (releasing an open share; nothing once spent), so guarding it costs one {@link Cleaner} registration, which is
 * dropped when the share is spent. Entered, it is the {@link ContextCopy.Scope} of the copies it pushed.
 */
final class Share extends ContextCopy.Scope implements Runnable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final VarHandle SPENT;

    static {
        try {
            SPENT = MethodHandles.lookup().findVarHandle(Share.class, "spent", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through SPENT
    private volatile boolean spent;
    // The registration that releases this share if its holder is collected first; dropped once it is spent.
    private volatile Cleaner.@Nullable Cleanable cleanable;

    private Share(AppContext app, @Nullable RequestContext request) {
        super(app, request);
    }

    /**
     * Takes a share of the given root contexts.
     *
     * @throws IllegalStateException when they have already torn down
     */
    static Share acquire(AppContext app, @Nullable RequestContext request) {
        if (!app.acquireShare()) {
            throw tornDown(app);
        }
        if (request != null && !request.acquireShare()) {
            app.releaseShare();
            throw tornDown(request);
        }
        ContextStats.countCopy();
        return new Share(app, request);
    }

    private static IllegalStateException tornDown(Object context) {
        return new IllegalStateException(context + " has already torn down: copy a context while it is current"
                + " (in the request, or inside another copy), and run or close the copy later.");
    }

    /**
     * Releases this share if {@code holder} becomes unreachable while it is still unspent. Called once: the holder
     * is what carries the share to the task for as long as it is open (a handle that passes its share to a task is
     * kept reachable by that task).
     */
    Share releaseWhenUnreachable(Object holder) {
        cleanable = CLEANER.register(holder, this);
        return this;
    }

    /** Marks this share spent; {@return false when it already was} */
    private boolean spend() {
        return SPENT.compareAndSet(this, false, true);
    }

    /**
     * Pushes copies of the contexts on this thread. The share passes to them: popping them (in reverse order,
     * through the returned scope) releases it, and the last release of all runs the teardown.
     *
     * @throws IllegalStateException when this share was already spent
     */
    ContextCopy.Scope enter() {
        if (!spend()) {
            throw new IllegalStateException("This copied context was already used: a copied task runs once. Copy"
                    + " the context again for each task.");
        }
        deregister();
        AppContext appRoot = app;
        RequestContext requestRoot = request;
        // One lookup of the thread's frame serves both pushes.
        Object[] frame = ContextStack.frame();
        AppContext appCopy;
        try {
            appCopy = appRoot.copy().push(frame);
        } catch (RuntimeException | Error e) {
            releaseAll();
            throw e;
        }
        RequestContext requestCopy = null;
        if (requestRoot != null) {
            try {
                requestCopy = requestRoot.copy().push(frame);
            } catch (RuntimeException | Error e) {
                requestRoot.releaseShare(appRoot);
                appCopy.pop(null, frame);
                ContextStats.countCopyDone();
                throw e;
            }
        }
        entered(appCopy, requestCopy);
        return this;
    }

    /** Releases this share unused (also the cleaning action); does nothing when it was already spent. */
    @Override
    public void run() {
        if (spend()) {
            deregister();
            releaseAll();
        }
    }

    boolean isOpen() {
        return !(boolean) SPENT.getVolatile(this);
    }

    /** Releases the roots' share; only ever called before {@link #enter} pushed anything (see the fields). */
    private void releaseAll() {
        AppContext appRoot = app;
        RequestContext requestRoot = request;
        try {
            if (requestRoot != null) {
                requestRoot.releaseShare(appRoot);
            }
        } finally {
            appRoot.releaseShare();
            ContextStats.countCopyDone();
        }
    }

    /** Drops the registration of a spent share: cleaning runs the action, which finds the share spent. */
    private void deregister() {
        Cleaner.Cleanable registered = cleanable;
        if (registered != null) {
            cleanable = null;
            registered.clean();
        }
    }
}
