package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The unspent shares of one root's copies, watched together for abandonment. Every holder of an unspent share (a
 * {@link ContextCopy} handle, a wrapped task) keeps its group reachable, and nothing else does: the root's
 * {@link Lifetime} remembers its group only weakly, and a share leaves its group when it is spent. So once the
 * garbage collector finds a group unreachable, every share still counted in it was abandoned, and all of them are
 * released then, which lets the roots tear down.
 *
 * <p>A root's copies join the group it already has, so guarding them costs one {@link Cleaner} registration per
 * root that is copied (dropped when the root tears down), not one per copy. A share held by a live holder delays
 * the release of an abandoned sibling only while it is unspent itself, and the roots' teardown waits for that live
 * share anyway.
 */
final class ShareGroup {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Unspent unspent;
    private final Cleaner.Cleanable watch;

    private ShareGroup(AppContext app, @Nullable RequestContext request) {
        this.unspent = new Unspent(app, request);
        this.watch = CLEANER.register(this, unspent);
    }

    /**
     * Counts a new share of the given roots in their current group (made when they have none, or none that is
     * still open); the caller has taken the roots' shares. The group is remembered by the request's root for
     * request copies and by the app context's root for app copies.
     *
     * {@return the group, which the share's holder must keep reachable until the share is spent}
     */
    static ShareGroup join(AppContext app, @Nullable RequestContext request) {
        // a share of the keeper was just taken, so its lifetime exists
        Lifetime keeper = Objects.requireNonNull(request != null ? request.lifetime() : app.lifetime());
        ShareGroup group = keeper.group();
        // none yet, or collected, or retired (the owner pushed the root again after its teardown), or a request
        // copied under another app context than its group's: a new group
        if (group == null || group.unspent.app != app || !group.unspent.join()) {
            group = new ShareGroup(app, request);
            group.unspent.join();
            keeper.remember(group);
        }
        return group;
    }

    /** A share of this group was spent (entered, or released unused): it no longer counts here. */
    void leave() {
        unspent.leave();
    }

    /**
     * Drops the watch: the roots are tearing down, so no share of them is left (every unspent share holds one) and
     * the group has nothing left to release. The cleaner no longer holds the roots.
     */
    void retire() {
        watch.clean();
    }

    @Override
    public String toString() {
        return "<ShareGroup of " + (unspent.request != null ? unspent.request : unspent.app) + ">";
    }

    /**
     * The count of a group's unspent shares and the roots they are shares of: the cleaning action, so it must not
     * reach the group itself.
     */
    private static final class Unspent implements Runnable {

        private static final int RELEASED = Integer.MIN_VALUE;
        private static final VarHandle COUNT;

        static {
            try {
                COUNT = MethodHandles.lookup().findVarHandle(Unspent.class, "count", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final AppContext app;
        final @Nullable RequestContext request;
        // Unspent shares; RELEASED once the group was collected or retired (then nothing joins it again).
        @SuppressWarnings("unused") // through COUNT
        private volatile int count;

        Unspent(AppContext app, @Nullable RequestContext request) {
            this.app = app;
            this.request = request;
        }

        /** @return false when the group was released: the caller needs another */
        boolean join() {
            while (true) {
                int n = count;
                if (n == RELEASED) {
                    return false;
                }
                if (COUNT.compareAndSet(this, n, n + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            COUNT.getAndAdd(this, -1);
        }

        /** The group was collected (or retired): every share still counted was abandoned; each is released now. */
        @Override
        public void run() {
            int abandoned = (int) COUNT.getAndSet(this, RELEASED);
            RuntimeException failure = null;
            for (int i = 0; i < abandoned; i++) {
                try {
                    Share.releaseRoots(app, request);
                } catch (RuntimeException e) {
                    // only the last release tears down; the others are counted all the same
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
