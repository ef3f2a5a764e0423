package io.flaskctx;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live figures about the contexts of this JVM: how many are pushed right now (over all threads), how many
 * were pushed, how deep the stacks got, how many were found leaked, how many teardown hooks threw. Flask has
 * no counterpart; the Micrometer meters and the actuator endpoint read these.
 *
 * <p>Counting is off until {@link #enable()} (the starter enables it when metrics or the endpoint are
 * present). It uses striped adders, never locks, so a push costs a few nanoseconds more while it is on.
 * Leaks, teardown errors and pending copies are counted always: they are rare and always worth knowing.
 */
public final class ContextStats {

    private static final class Counts {
        final LongAdder active = new LongAdder();
        final LongAdder pushed = new LongAdder();
        final LongAdder depthTotal = new LongAdder();
        final LongAccumulator maxDepth = new LongAccumulator(Math::max, 0);
        final LongAdder leaked = new LongAdder();
    }

    private static final Counts APP = new Counts();
    private static final Counts REQUEST = new Counts();
    private static final LongAdder TEARDOWN_ERRORS = new LongAdder();
    private static final LongAdder COPIES_PENDING = new LongAdder();

    private static volatile boolean enabled;

    private ContextStats() {
    }

    /** Starts counting pushes, pops and depths. Contexts pushed before this call are not counted. */
    public static void enable() {
        enabled = true;
    }

    /** @return whether pushes and pops are being counted */
    public static boolean isEnabled() {
        return enabled;
    }

    /** @return contexts of that type pushed right now, summed over all threads (0 when the server is idle) */
    public static long active(ContextType type) {
        return counts(type).active.sum();
    }

    /** @return contexts of that type pushed since counting began */
    public static long pushed(ContextType type) {
        return counts(type).pushed.sum();
    }

    /** @return the sum of the stack depths right after each push (with {@link #pushed}, the mean depth) */
    public static long depthTotal(ContextType type) {
        return counts(type).depthTotal.sum();
    }

    /** @return the deepest stack of that type any thread reached since counting began */
    public static long maxDepth(ContextType type) {
        return counts(type).maxDepth.get();
    }

    /** @return contexts of that type found still pushed where they should not be, and popped */
    public static long leaked(ContextType type) {
        return counts(type).leaked.sum();
    }

    /** @return teardown hooks (of requests and app contexts) that threw */
    public static long teardownErrors() {
        return TEARDOWN_ERRORS.sum();
    }

    /** @return copies of contexts taken and not yet finished or released: each one holds teardown back */
    public static long copiesPending() {
        return COPIES_PENDING.sum();
    }

    private static Counts counts(ContextType type) {
        return type == ContextType.APP ? APP : REQUEST;
    }

    /** Counts a push if counting is on; the result tells the pop whether to count it too. */
    static boolean countPush(ContextType type, int depth) {
        if (!enabled) {
            return false;
        }
        Counts counts = counts(type);
        counts.active.increment();
        counts.pushed.increment();
        counts.depthTotal.add(depth);
        counts.maxDepth.accumulate(depth);
        return true;
    }

    static void countPop(ContextType type) {
        counts(type).active.decrement();
    }

    static void countLeak(ContextType type) {
        counts(type).leaked.increment();
    }

    static void countCopy() {
        COPIES_PENDING.increment();
    }

    static void countCopyDone() {
        COPIES_PENDING.decrement();
    }

    static void countTeardownError() {
        TEARDOWN_ERRORS.increment();
    }
}
