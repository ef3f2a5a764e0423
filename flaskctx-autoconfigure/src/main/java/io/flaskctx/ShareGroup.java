package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The unspent shares of a root's copies, counted together so that abandoned ones can be found. Every holder of an
 * unspent share (a {@link ContextCopy} handle, a wrapped task) keeps its group reachable, and a share leaves its
 * group when it is spent.
 *
 * <p>While the root's owner has it (a request still running), abandonment cannot matter: the teardown waits for the
 * owner anyway. So the root's {@link Lifetime} holds the group its copies join then, and nothing watches it. The
 * owner's end seals the group (no copy joins it afterwards) and lets go of it; only when unspent shares are left
 * does the garbage collector watch it (one {@link Cleaner} registration), and once it finds the group unreachable,
 * every share still counted was abandoned and is released, which lets the roots tear down. A request whose copies
 * have all run (or been closed) by its end costs no registration at all. Copies made after the owner's end (inside
 * another copy), and a request's copies made under an app context pushed inside the request (which ends before
 * the request does), get a group of their own that is watched from the start.
 */
final class ShareGroup {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Unspent unspent;

    private ShareGroup(AppContext app, @Nullable RequestContext request) {
        this.unspent = new Unspent(app, request);
    }

    /**
     * Counts a new share of the given roots in a group; the caller has taken the roots' shares. Request copies
     * join the group their request's root holds, app copies the one their app context's root holds.
     *
     * {@return the group, which the share's holder must keep reachable until the share is spent}
     */
    static ShareGroup join(AppContext app, @Nullable RequestContext request) {
        // a share of the keeper was just taken, so its lifetime exists
        Lifetime keeper = Objects.requireNonNull(request != null ? request.lifetime() : app.lifetime());
        ShareGroup open = keeper.openGroup();
        if (open != null && open.unspent.app == app && open.unspent.join()) {
            return open;
        }
        ShareGroup group = new ShareGroup(app, request);
        group.unspent.join();
        // A request's group is held only with the app context its owner pops after it: a copy under another one
        // (pushed inside the request, and so ended first) must not wait for the request's end to be found.
        boolean holdable = request == null || request.pushedWith(app);
        if (!holdable || !keeper.hold(group)) {
            // the owner has ended, or the group is another app context's: watched from the start
            keeper.watching(group.watch());
        }
        return group;
    }

    /** A share of this group was spent (entered, or released unused): it no longer counts here. */
    void leave() {
        unspent.leave();
    }

    /**
     * The owner's end: no share joins this group any more. {@return the watch over the shares left unspent, null
     * when there are none (nothing can be abandoned then)}
     */
    Cleaner.@Nullable Cleanable seal() {
        return unspent.seal() > 0 ? watch() : null;
    }

    private Cleaner.Cleanable watch() {
        return CLEANER.register(this, unspent);
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

        private static final int SEALED = 1 << 30;
        private static final int COUNT = SEALED - 1;
        private static final int RELEASED = -1;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Unspent.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final AppContext app;
        final @Nullable RequestContext request;
        // Unspent shares in the low bits, and SEALED once no share may join; RELEASED once the watch has run.
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        Unspent(AppContext app, @Nullable RequestContext request) {
            this.app = app;
            this.request = request;
        }

        /** @return false when the group is sealed: the caller needs another */
        boolean join() {
            while (true) {
                int s = state;
                if (s < 0 || (s & SEALED) != 0) {
                    return false;
                }
                if (STATE.compareAndSet(this, s, s + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            STATE.getAndAdd(this, -1);
        }

        /** {@return the unspent shares at the moment of sealing} */
        int seal() {
            return (int) STATE.getAndBitwiseOr(this, SEALED) & COUNT;
        }

        /**
         * The group was found unreachable (or its roots tore down and retired the watch): every share still
         * counted was abandoned, and each is released now.
         */
        @Override
        public void run() {
            int s = (int) STATE.getAndSet(this, RELEASED);
            int abandoned = s < 0 ? 0 : s & COUNT;
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
