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
 *
 * <p>The group the owner makes is counted as {@link Lifetime} counts the owner's shares: what the owner joins and
 * spends on its own thread while the group is held, plainly; what other threads do, atomically; the seal, which
 * only the owner's end does to that group, adds the two. A copy taken and run on the owner's thread (an executor
 * that runs a task on the caller's thread) so costs one atomic update, the claim that runs a task only once.
 */
final class ShareGroup {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Unspent unspent;
    // Made by the owner of the roots, on its thread while it had them pushed, to be held: while the keeper holds
    // it, only that thread can seal it (at its end), so that thread counts its own shares here plainly.
    private final boolean ownerMade;
    // An owner-made group's shares joined minus spent by its owner, on its thread, while the group is held; written
    // and read by that thread alone, which also seals the group and adds this to the shared count then. Here, not
    // in the count, which the cleaner holds: the group is held, so reachable, until it is sealed.
    private int ownerCount;

    private ShareGroup(AppContext app, @Nullable RequestContext request, boolean ownerMade) {
        this.unspent = new Unspent(app, request);
        this.ownerMade = ownerMade;
    }

    /**
     * Counts a new share of the given roots in a group; the caller has taken the roots' shares. Request copies
     * join the group their request's root holds, app copies the one their app context's root holds.
     *
     * {@return the group, which the share's holder must keep reachable until the share is spent}
     *
     * @param byOwner whether the calling thread has the keeping root (the request's, else the app context's)
     *     pushed on top of its stack: it is the owner, which counts its shares in a group of its own plainly
     */
    static ShareGroup join(AppContext app, @Nullable RequestContext request, boolean byOwner) {
        // a share of the keeper was just taken, so its lifetime exists
        Lifetime keeper = Objects.requireNonNull(request != null ? request.lifetime() : app.lifetime());
        ShareGroup open = keeper.openGroup();
        if (open != null && open.unspent.app == app) {
            if (byOwner && open.ownerMade) {
                open.ownerCount++;
                return open;
            }
            if (open.unspent.join()) {
                return open;
            }
        }
        // A request's group is held only with the app context its owner pops after it: a copy under another one
        // (pushed inside the request, and so ended first) must not wait for the request's end to be found.
        boolean holdable = request == null || request.pushedWith(app);
        // counted in the new group before anything can seal it: the keeper's hold publishes it, or the watch does
        ShareGroup group = new ShareGroup(app, request, byOwner && holdable);
        if (!holdable || !keeper.hold(group)) {
            // the owner has ended, or the group is another app context's: watched from the start
            keeper.watching(group.watch());
        }
        return group;
    }

    /**
     * A share of this group was spent (entered, or released unused): it no longer counts here.
     *
     * @param byOwner whether the calling thread has the keeping root pushed on top of its stack (see
     *     {@link #join}): it then counts the spending plainly when this is its own group, still held
     */
    void leave(boolean byOwner) {
        if (byOwner && ownerMade && keeper().openGroup() == this) {
            ownerCount--;
        } else {
            unspent.leave();
        }
    }

    private Lifetime keeper() {
        RequestContext request = unspent.request;
        // a share of the keeper is held while the group counts one, so its lifetime exists
        return Objects.requireNonNull(request != null ? request.lifetime() : unspent.app.lifetime());
    }

    /**
     * The owner's end: no share joins this group any more. {@return the watch over the shares left unspent, null
     * when there are none (nothing can be abandoned then)}
     */
    Cleaner.@Nullable Cleanable seal() {
        int owned = ownerCount;
        ownerCount = 0;
        return unspent.seal(owned) > 0 ? watch() : null;
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
        private static final int RELEASED = Integer.MIN_VALUE;
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
        // The shares joined and not spent, but for those the owner counts plainly in its group's ownerCount (so
        // this may go below zero while the group is open: a share the owner took, spent on another thread); plus
        // SEALED once no share may join, when ownerCount is added; RELEASED once the watch has run.
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        /** A group's count with its first share in it. */
        Unspent(AppContext app, @Nullable RequestContext request) {
            this.app = app;
            this.request = request;
            STATE.set(this, 1);
        }

        /** @return false when the group is sealed: the caller needs another */
        boolean join() {
            while (true) {
                int s = state;
                if (s == RELEASED || s >= SEALED / 2) {
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

        /**
         * Seals the count, adding the shares the owner counted plainly; called once, by the group's owner or
         * maker. {@return the unspent shares at the moment of sealing}
         */
        int seal(int owned) {
            return (int) STATE.getAndAdd(this, SEALED + owned) + owned;
        }

        /**
         * The group was found unreachable (or its roots tore down and retired the watch): every share still
         * counted was abandoned, and each is released now.
         */
        @Override
        public void run() {
            int s = (int) STATE.getAndSet(this, RELEASED);
            int abandoned = s == RELEASED ? 0 : Math.max(0, s >= SEALED / 2 ? s - SEALED : s);
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
