package io.flaskctx;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One copy's hold on the contexts it was copied from: while it is open their teardown waits. It is spent
 * exactly once, either by running (the copies it pushes release it as they pop) or by being released unused
 * (a handle closed, a task rejected by its executor, or a task or handle the garbage collector found
 * abandoned), so a copy that never runs cannot hold teardown forever.
 */
final class Share implements Runnable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final AppContext app;
    private final @Nullable RequestContext request;
    private final AtomicBoolean open = new AtomicBoolean(true);
    // The holder whose collection releases this share: first the handle, then the task it was handed to.
    private @Nullable Guard guard;
    private Cleaner.@Nullable Cleanable cleanable;

    /** The Cleaner's action for one holder; switched off when the share moves on or is spent. */
    private static final class Guard implements Runnable {
        private final Share share;
        private volatile boolean off;

        Guard(Share share) {
            this.share = share;
        }

        @Override
        public void run() {
            if (!off) {
                share.run();
            }
        }
    }

    private Share(AppContext app, @Nullable RequestContext request) {
        this.app = app;
        this.request = request;
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
     * Releases this share if {@code holder} becomes unreachable while it is still unspent. A previous holder (the
     * handle that passed the share on) no longer counts: its collection must not release a share a task holds.
     */
    Share releaseWhenUnreachable(Object holder) {
        deregister();
        Guard next = new Guard(this);
        guard = next;
        cleanable = CLEANER.register(holder, next);
        return this;
    }

    /**
     * Pushes copies of the contexts on this thread. The share passes to them: popping them (in reverse order,
     * through the returned scope) releases it, and the last release of all runs the teardown.
     *
     * @throws IllegalStateException when this share was already spent
     */
    ContextCopy.Scope enter() {
        if (!open.compareAndSet(true, false)) {
            throw new IllegalStateException("This copied context was already used: a copied task runs once. Copy"
                    + " the context again for each task.");
        }
        deregister();
        AppContext appCopy;
        try {
            appCopy = app.copy().push();
        } catch (RuntimeException | Error e) {
            releaseAll();
            throw e;
        }
        RequestContext requestCopy = null;
        if (request != null) {
            try {
                requestCopy = request.copy().push();
            } catch (RuntimeException | Error e) {
                request.releaseShare(app);
                appCopy.pop();
                ContextStats.countCopyDone();
                throw e;
            }
        }
        return new ContextCopy.Scope(appCopy, requestCopy);
    }

    /** Releases this share unused; does nothing when it was already spent. */
    @Override
    public void run() {
        if (open.compareAndSet(true, false)) {
            deregister();
            releaseAll();
        }
    }

    boolean isOpen() {
        return open.get();
    }

    private void releaseAll() {
        try {
            if (request != null) {
                request.releaseShare(app);
            }
        } finally {
            app.releaseShare();
            ContextStats.countCopyDone();
        }
    }

    private void deregister() {
        Guard current = guard;
        Cleaner.Cleanable registered = cleanable;
        guard = null;
        cleanable = null;
        if (registered != null && current != null) {
            current.off = true;
            registered.clean(); // drops the registration; the guard, switched off, does nothing
        }
    }
}
