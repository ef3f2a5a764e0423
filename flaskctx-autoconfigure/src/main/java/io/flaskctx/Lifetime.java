package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * When a copied context may tear down: once its owner has popped it for the last time and every copy of it
 * has finished. Flask tears a copied context down once per copy and once more for the owner; flaskctx counts
 * the copies' shares instead, so teardown runs exactly once, by whichever party finishes last.
 *
 * <p>Created by a context's first copy; a context never copied has none and tears down at once. It also
 * remembers the {@link ShareGroup} the context's copies join, weakly: only unspent shares may keep a group
 * reachable.
 */
final class Lifetime {

    private static final int ENDED = 1 << 30;
    private static final int SHARES = ENDED - 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifetime.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Outstanding shares in the low bits, and ENDED once the owner's last pop happened. */
    private volatile int state;
    /** The owner's error, written before ENDED is published and read after the last share is released. */
    private @Nullable Throwable error;
    // The group new copies of this context join; racing copies may each make one, the last is remembered.
    private volatile @Nullable WeakReference<ShareGroup> group;

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

    /** @return false when the context has already torn down (owner ended, no share left) */
    boolean acquire() {
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

    /** @return true when this was the last share of an ended context: its teardown is due now */
    boolean release() {
        return (int) STATE.getAndAdd(this, -1) - 1 == ENDED && retire();
    }

    /** The owner's last pop. @return true when no share is outstanding: teardown is due now */
    boolean end(@Nullable Throwable ownerError) {
        this.error = ownerError;
        return ((int) STATE.getAndAdd(this, ENDED) & SHARES) == 0 && retire();
    }

    /** Teardown is due, so no share is left: the group stops watching (and holding) the context. @return true */
    private boolean retire() {
        ShareGroup current = group();
        if (current != null) {
            group = null;
            current.retire();
        }
        return true;
    }

    /** {@return the group new copies join, null when there is none yet or it was collected} */
    @Nullable ShareGroup group() {
        WeakReference<ShareGroup> ref = group;
        return ref == null ? null : ref.get();
    }

    void remember(ShareGroup current) {
        group = new WeakReference<>(current);
    }

    /** The owner pushes the context again after its last pop: it is no longer ended. */
    void restart() {
        while (true) {
            int s = state;
            if ((s & ENDED) == 0 || STATE.compareAndSet(this, s, s & SHARES)) {
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
