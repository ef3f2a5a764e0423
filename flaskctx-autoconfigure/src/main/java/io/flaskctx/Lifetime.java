package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * When a copied context may tear down: once its owner has popped it for the last time and every copy of it
 * has finished. Flask tears a copied context down once per copy and once more for the owner; flaskctx counts
 * the copies' shares instead, so teardown runs exactly once, by whichever party finishes last.
 *
 * <p>Created by a context's first copy; a context never copied has none and tears down at once. While the owner
 * has the context, it also holds the {@link ShareGroup} the copies join; the owner's end seals that group and
 * lets go of it.
 *
 * <p>Most copies are taken by the owner itself, on its thread, while it has the context (a request handing work
 * to an executor), and some run there too (an executor that runs a task on the caller's thread). What the owner
 * takes and releases on its thread while it has the context is counted in a plain field that only that thread
 * touches, and added to the shared count in the same atomic update that records the owner's end; shares taken
 * or released on other threads change the shared count at once. Until the owner's end, the shared count may so go
 * below zero (a copy taken by the owner, released on another thread); from the end on it is exact.
 */
final class Lifetime {

    // Added to the shared count at the owner's end. Until then the count stays far below half of it (it is at
    // least minus the owner's shares, at most the shares outstanding), so ENDED / 2 tells the two apart.
    private static final int ENDED = 1 << 30;
    private static final VarHandle STATE;
    private static final VarHandle OPEN;
    private static final VarHandle HAND_OFF;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifetime.class, "state", int.class);
            OPEN = MethodHandles.lookup().findVarHandle(Lifetime.class, "open", ShareGroup.class);
            HAND_OFF = MethodHandles.lookup().findVarHandle(Lifetime.class, "handOff", HandOff.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The shares taken on other threads minus all released, plus ENDED and the owner's shares once the owner's last
     * pop happened: from then on, ENDED plus the shares outstanding.
     */
    private volatile int state;
    /**
     * The shares the owner took on its thread while it had the context, minus those it released there meanwhile,
     * until its end adds them to state.
     */
    private int ownerShares;
    /** The owner's error, written before ENDED is published and read after the last share is released. */
    private @Nullable Throwable error;
    // While the owner has the context: the group its copies join (see ShareGroup); null once the owner's end sealed it.
    @SuppressWarnings("unused") // written through OPEN
    private volatile @Nullable ShareGroup open;
    // The latest watch over a group of this context's copies, dropped at teardown (earlier ones, left by copies after
    // the owner's end, are dropped when the collector finds their groups).
    private volatile Cleaner.@Nullable Cleanable watch;
    // The copy handed off (ContextCopy.handOffCurrentRequest) until it is entered or closed: meanwhile the copy
    // carries the context to the work its thread submits, and what propagates contexts by itself leaves that work
    // alone. Weakly: the collector must still find the copy abandoned (its share is then released), which a strong
    // hold from the context it copies would prevent.
    @SuppressWarnings("unused") // cleared through HAND_OFF
    private volatile @Nullable HandOff handOff;
    // Whether this context's copies count in ContextStats.copiesPending: its app counted when it was first copied.
    // Fixed for the context's life, so every copy that counted is counted out, whatever the app's switch does.
    private final boolean countsCopies;

    /** @param countsCopies whether the copies of the context count as pending in {@link ContextStats} */
    Lifetime(boolean countsCopies) {
        this.countsCopies = countsCopies;
    }

    /**
     * A copy reports the error that ended its work, kept when the owner reported none (async requests).
     *
     * @param life the context's lifetime, null when it was never copied (then there is nothing to report to)
     */
    static void offerError(@Nullable Lifetime life, @Nullable Throwable copyError) {
        if (life != null && life.error == null && copyError != null) {
            life.error = copyError;
        }
    }

    /** {@return whether the copies of the context count as pending in {@link ContextStats}} */
    boolean countsCopies() {
        return countsCopies;
    }

    private static boolean ended(int s) {
        return s >= ENDED / 2;
    }

    /**
     * Takes a share.
     *
     * @param byOwner whether the caller is the owner, on its thread, with the context pushed: the share is then
     *     counted plainly, as only that thread counts there until its end
     * @return false when the context has already torn down (owner ended, no share left)
     */
    boolean acquire(boolean byOwner) {
        if (byOwner) {
            ownerShares++;
            return true;
        }
        while (true) {
            int s = state;
            if (s == ENDED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return true;
            }
        }
    }

    /**
     * Releases a share.
     *
     * @param byOwner whether the caller is the owner, on its thread, with the context pushed: the release is then
     *     counted plainly, like the owner's shares, and cannot be the last one (the owner has not ended)
     * @return true when this was the last share of an ended context: its teardown is due now
     */
    boolean release(boolean byOwner) {
        if (byOwner) {
            ownerShares--;
            return false;
        }
        return (int) STATE.getAndAdd(this, -1) - 1 == ENDED && retire();
    }

    /** The owner's last pop. @return true when no share is outstanding: teardown is due now */
    boolean end(@Nullable Throwable ownerError) {
        this.error = ownerError;
        int owners = ownerShares;
        // Written before the update that publishes the end: an owner that pushes the context again, on any thread,
        // reads that update first (restart) and so starts from zero.
        ownerShares = 0;
        boolean due = (int) STATE.getAndAdd(this, ENDED + owners) + owners == 0;
        sealOpen();
        return due && retire();
    }

    /** {@return the group copies join while the owner has the context, null when there is none} */
    @Nullable ShareGroup openGroup() {
        return open;
    }

    /**
     * Holds {@code group} as the one copies join while the owner has the context.
     *
     * @return false when the owner has ended, or another group is held: the caller watches its group itself
     */
    boolean hold(ShareGroup group) {
        if (ended(state) || !OPEN.compareAndSet(this, null, group)) {
            return false;
        }
        if (ended(state) && OPEN.compareAndSet(this, group, null)) {
            // The owner ended meanwhile, before the group was held here: seal it as its end would have. Only this
            // group: when the end took it, the end sealed it, and a group the owner holds after pushing again is
            // the owner's to seal.
            seal(group);
        }
        return true;
    }

    /**
     * The copy handed off, weakly, and the thread that handed it off: the one that submits the work the copy is
     * for. Other threads running copies of the same context are not handing it off. 32 bytes, as a plain
     * {@code WeakReference}: the thread fills what was the object's padding.
     */
    private static final class HandOff extends WeakReference<ContextCopy> {
        final Thread by;

        HandOff(ContextCopy copy, Thread by) {
            super(copy);
            this.by = by;
        }
    }

    /**
     * {@code copy}, which holds a share of the context, is handed off by the calling thread: see
     * {@link ContextCopy#isHandedOff()}.
     */
    void handOff(ContextCopy copy) {
        handOff = new HandOff(copy, Thread.currentThread());
    }

    /**
     * {@return whether the calling thread handed off a copy that is neither entered nor closed yet (nor collected
     * unused)}
     */
    boolean handedOffHere() {
        HandOff held = handOff;
        return held != null && held.by == Thread.currentThread() && held.get() != null;
    }

    /** {@code copy} is entered or closed: if it was the one handed off, the hand-off is over. */
    void handedOver(ContextCopy copy) {
        HandOff held = handOff;
        if (held != null && held.get() == copy) {
            HAND_OFF.compareAndSet(this, held, null);
        }
    }

    /** Keeps the watch over a group of this context's copies, to drop it at teardown. */
    void watching(Cleaner.Cleanable groupWatch) {
        watch = groupWatch;
    }

    /** {@return whether a watch over this context's copies is kept} */
    boolean watched() {
        return watch != null;
    }

    /** The owner's end: the held group is sealed and let go of, and watched when it has unspent shares. */
    private void sealOpen() {
        ShareGroup group = (ShareGroup) OPEN.getAndSet(this, null);
        if (group != null) {
            seal(group);
        }
    }

    private void seal(ShareGroup group) {
        Cleaner.Cleanable sealed = group.seal();
        if (sealed != null) {
            watch = sealed;
        }
    }

    /** Teardown is due, so no share is left: the watch is dropped, and with it the cleaner's hold on the context. */
    private boolean retire() {
        Cleaner.Cleanable kept = watch;
        if (kept != null) {
            watch = null;
            kept.clean();
        }
        return true;
    }

    /** The owner pushes the context again after its last pop: it is no longer ended. */
    void restart() {
        while (true) {
            int s = state;
            if (!ended(s) || STATE.compareAndSet(this, s, s - ENDED)) {
                return;
            }
        }
    }

    /** @return whether the owner has ended and no share is left: the teardown has run or is running */
    boolean isOver() {
        return state == ENDED;
    }

    @Nullable Throwable error() {
        return error;
    }
}
