package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One copy's hold on the contexts it was copied from: while it is open their teardown waits. It ends exactly
 * once: by running (the copies it pushes release it as they pop), by being released unused (a task rejected by its
 * executor), or, when the garbage collector finds it abandoned, with the rest of its group; so a copy that never
 * runs cannot hold teardown forever.
 *
 * <p>While unspent it is counted in a {@link ShareGroup}, which it keeps reachable: that is how an abandoned share
 * is found. A wrapped task is a share itself (the subclasses in {@link ContextCopy} add the task), and so is the
 * {@link ContextCopy.Scope} of the copies it pushed once entered: a copy run on a thread costs one object for all
 * three.
 */
non-sealed class Share extends ContextCopy.Scope {

    private static final VarHandle GROUP;

    static {
        try {
            GROUP = MethodHandles.lookup().findVarHandle(Share.class, "group", ShareGroup.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The group this share counts in while it is unspent; null once it is spent.
    @SuppressWarnings("unused") // through GROUP
    private volatile @Nullable ShareGroup group;

    /**
     * @param group the group of a share of the given roots, taken by {@link #acquire} and not yet held by anything
     *     else: this object holds it now
     */
    Share(AppContext app, @Nullable RequestContext request, ShareGroup group) {
        super(app, request);
        // A plain write (see ContextCopy's constructor): a share reaches another thread only through its hand-off.
        GROUP.set(this, group);
    }

    /**
     * Takes a share of the given root contexts on any thread.
     *
     * @return the group it counts in, which its holder must keep reachable until it is spent
     * @throws IllegalStateException when the roots have already torn down
     */
    static ShareGroup acquire(AppContext app, @Nullable RequestContext request) {
        return acquire(app, request, false, false);
    }

    /**
     * Takes a share of the given root contexts.
     *
     * @param appHere whether the calling thread has {@code app} pushed (found on top of its own stack)
     * @param requestHere the same for {@code request}
     * @return the group it counts in, which its holder must keep reachable until it is spent
     * @throws IllegalStateException when the roots have already torn down
     */
    static ShareGroup acquire(AppContext app, @Nullable RequestContext request, boolean appHere,
            boolean requestHere) {
        if (!app.acquireShare(appHere)) {
            throw tornDown(app);
        }
        if (request != null && !request.acquireShare(requestHere)) {
            app.releaseShare();
            throw tornDown(request);
        }
        ContextStats.countCopy(app);
        return ShareGroup.join(app, request, request != null ? requestHere : appHere);
    }

    private static IllegalStateException tornDown(Object context) {
        return new IllegalStateException(context + " has already torn down: copy a context while it is current"
                + " (in the request, or inside another copy), and run or close the copy later.");
    }

    /**
     * Releases an unspent share that no {@code Share} holds: a {@link ContextCopy} handle's own, closed unused.
     *
     * @param group what {@link #acquire} returned for it
     */
    static void releaseUnused(ShareGroup group, AppContext app, @Nullable RequestContext request) {
        group.leave(false);
        releaseRoots(app, request);
    }

    /**
     * Marks this share spent; {@return false when it already was}
     *
     * @param byOwner whether the calling thread has the keeping root pushed on top of its stack (see
     *     {@link ShareGroup#join})
     */
    private boolean spend(boolean byOwner) {
        ShareGroup spentFrom = (ShareGroup) GROUP.getAndSet(this, null);
        if (spentFrom == null) {
            return false;
        }
        spentFrom.leave(byOwner);
        return true;
    }

    /**
     * Pushes copies of the contexts on this thread. The share passes to them: popping them (in reverse order,
     * through the returned scope) releases it, and the last release of all runs the teardown.
     *
     * @throws IllegalStateException when this share was already spent
     */
    final ContextCopy.Scope enter() {
        AppContext appRoot = app;
        RequestContext requestRoot = request;
        // One frame serves both pushes: the root's own when this thread has it pushed, else looked up once.
        Object[] frame = appRoot.callerFrame();
        // The roots on top here: this thread owns them (a task run on the caller's thread).
        boolean byOwner = requestRoot != null ? Globals.REQUEST.top(frame) == requestRoot
                : Globals.APP.top(frame) == appRoot;
        if (!spend(byOwner)) {
            throw new IllegalStateException("This copied context was already used: a copied task runs once. Copy"
                    + " the context again for each task.");
        }
        AppContext appCopy;
        try {
            appCopy = appRoot.copy().push(frame);
        } catch (RuntimeException | Error e) {
            releaseRoots(appRoot, requestRoot);
            throw e;
        }
        RequestContext requestCopy = null;
        if (requestRoot != null) {
            try {
                requestCopy = requestRoot.copy().push(frame);
            } catch (RuntimeException | Error e) {
                requestRoot.releaseShare(appRoot, false);
                appCopy.pop(null, frame);
                ContextStats.countCopyDone(appRoot);
                throw e;
            }
        }
        entered(appCopy, requestCopy);
        return this;
    }

    /** Releases this share unused; does nothing when it was already spent. */
    final void release() {
        if (spend(false)) {
            releaseRoots(app, request);
        }
    }

    /** Releases one share of the roots; the last release after their owner's pop runs their teardown. */
    static void releaseRoots(AppContext appRoot, @Nullable RequestContext requestRoot) {
        try {
            if (requestRoot != null) {
                requestRoot.releaseShare(appRoot, false);
            }
        } finally {
            appRoot.releaseShare();
            ContextStats.countCopyDone(appRoot);
        }
    }
}
