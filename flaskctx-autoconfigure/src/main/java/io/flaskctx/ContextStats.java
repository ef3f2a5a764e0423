package io.flaskctx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live figures about the contexts of this JVM: how many are pushed right now (over all threads), how many
 * were pushed, how deep the stacks got, how many were found leaked, how many teardown hooks threw. Flask has
 * no counterpart; the Micrometer meters and the actuator endpoint read these.
 *
 * <p>Pushes are counted for the apps that ask for it ({@link FlaskApp#setCountingContexts(boolean)}; the
 * starter does when metrics or the endpoint are present). Each thread counts its own pushes and pops in a block of
 * its own ({@link ThreadCounts}): plain writes, no atomic update, so a push costs a few nanoseconds more while it
 * is on, however many threads push at once; a read sums the blocks under the app's lock. Copies for other threads
 * ({@link #copiesPending()}) are counted for the same apps, as they are as frequent as pushes: a context's copies
 * count when its app counted at its first copy. Leaks and teardown errors are counted always: they are rare and
 * always worth knowing.
 */
public final class ContextStats {

    /**
     * One app's counts of one kind of context, shared by its threads. The pushed and active counts hold what
     * virtual threads counted and what ended threads' blocks had ({@link ThreadCounts}): a push on a platform thread
     * writes only its own block, and touches these only for depth. Depth figures are kept only beyond the first
     * level (the total is the pushed count plus the levels above it), and an app context's pushed count is kept by
     * origin alone.
     */
    static final class Counts {
        final LongAdder active = new LongAdder();
        // Request contexts only: app contexts count their pushes by origin (AppStats.appByOrigin).
        final LongAdder pushed = new LongAdder();
        // The sum of (depth - 1) over the pushes that found the stack not empty.
        final LongAdder aboveFirst = new LongAdder();
        // The deepest push that found the stack not empty; 0 until one does.
        final LongAccumulator maxDepth = new LongAccumulator(Math::max, 0);
        final LongAdder leaked = new LongAdder();
    }

    /**
     * One app's figures: kept by the app itself, so a push touches only its own counters. Pushes and pops are
     * counted by each thread in a block of its own ({@link ThreadCounts}); the adders hold what virtual threads
     * counted and what the threads that ended had.
     */
    static final class AppStats {
        /** Tells this app's blocks of counts from other apps' in a thread's frame. */
        final long id = ThreadCounts.newId();
        final Counts app = new Counts();
        final Counts request = new Counts();
        final LongAdder teardownErrors = new LongAdder();
        // App contexts pushed, by origin (request contexts all come from requests: their pushed count says it).
        final LongAdder[] appByOrigin = adders(ContextOrigin.all().length);
        // Every thread's block of counts for this app, with its thread: guarded by this.
        private final List<Thread> threads = new ArrayList<>();
        private final List<long[]> blocks = new ArrayList<>();

        Counts of(ContextType type) {
            return type == ContextType.APP ? app : request;
        }

        long pushed(ContextType type) {
            if (type == ContextType.REQUEST) {
                return sum(ThreadCounts.REQUEST_PUSHED);
            }
            long total = 0;
            for (int i = 0; i < appByOrigin.length; i++) {
                total += sum(ThreadCounts.APP_BY_ORIGIN + i);
            }
            return total;
        }

        long active(ContextType type) {
            return sum(type == ContextType.APP ? ThreadCounts.APP_ACTIVE : ThreadCounts.REQUEST_ACTIVE);
        }

        long pushed(ContextOrigin origin) {
            return sum(ThreadCounts.APP_BY_ORIGIN + origin.ordinal());
        }

        /** {@return how many threads' blocks of counts the app holds (for tests: the ended ones are let go)} */
        synchronized int threadsCounting() {
            foldEnded();
            return blocks.size();
        }

        /** A thread's new block of counts for this app. */
        synchronized void register(Thread thread, long[] block) {
            foldEnded();
            threads.add(thread);
            blocks.add(block);
        }

        /** {@return a slot of the counts: the shared adder's, and every thread's block's} */
        private synchronized long sum(int slot) {
            foldEnded();
            long total = adder(slot).sum();
            for (long[] block : blocks) {
                total += ThreadCounts.read(block, slot);
            }
            return total;
        }

        /**
         * Adds the blocks of the threads that ended to the shared adders and lets them go. A thread seen ended has
         * made its last write to its block visible (JLS 17.4.4), and a reader, holding the lock, sees either the
         * block or the adders with it, never both.
         */
        private void foldEnded() {
            for (int i = threads.size() - 1; i >= 0; i--) {
                if (!threads.get(i).isAlive()) {
                    long[] block = blocks.get(i);
                    for (int slot = 1; slot < ThreadCounts.SIZE; slot++) {
                        adder(slot).add(ThreadCounts.read(block, slot));
                    }
                    threads.remove(i);
                    blocks.remove(i);
                }
            }
        }

        private LongAdder adder(int slot) {
            if (slot < ThreadCounts.REQUEST_PUSHED) {
                return appByOrigin[slot - ThreadCounts.APP_BY_ORIGIN];
            }
            return switch (slot - ThreadCounts.REQUEST_PUSHED) {
                case 0 -> request.pushed;
                case 1 -> app.active;
                default -> request.active;
            };
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    // Every app's figures, for the totals; an app that is gone takes its figures with it.
    private static final Set<FlaskApp> APPS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final LongAdder COPIES_PENDING = new LongAdder();

    private ContextStats() {
    }

    static void register(FlaskApp app) {
        APPS.add(app);
    }

    /**
     * {@return contexts of that type pushed right now, summed over all threads (0 when the server is idle)}
     *
     * @param type the kind of context (app or request)
     */
    public static long active(ContextType type) {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += active(app, type);
        }
        return total;
    }

    /**
     * {@return contexts of that type of {@code app} pushed right now, over all threads}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long active(FlaskApp app, ContextType type) {
        return app.stats().active(type);
    }

    /**
     * {@return contexts of that type pushed since counting began}
     *
     * @param type the kind of context (app or request)
     */
    public static long pushed(ContextType type) {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += pushed(app, type);
        }
        return total;
    }

    /**
     * {@return contexts of that type of {@code app} pushed since counting began}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long pushed(FlaskApp app, ContextType type) {
        return app.stats().pushed(type);
    }

    /**
     * {@return app contexts of {@code app} pushed since counting began that came from {@code origin} (copies of a
     * context for other threads count as pushes of its origin)}
     *
     * @param app the app
     * @param origin where the contexts came from
     */
    public static long pushed(FlaskApp app, ContextOrigin origin) {
        return app.stats().pushed(origin);
    }

    /**
     * {@return app contexts pushed since counting began that came from {@code origin}, over all apps}
     *
     * @param origin where the contexts came from
     */
    public static long pushed(ContextOrigin origin) {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += pushed(app, origin);
        }
        return total;
    }

    /**
     * {@return the sum of the stack depths right after each push (with {@link #pushed}, the mean depth)}
     *
     * @param type the kind of context (app or request)
     */
    public static long depthTotal(ContextType type) {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += depthTotal(app, type);
        }
        return total;
    }

    /**
     * {@return the sum of the stack depths right after each push of {@code app}'s contexts}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long depthTotal(FlaskApp app, ContextType type) {
        AppStats stats = app.stats();
        return stats.pushed(type) + stats.of(type).aboveFirst.sum();
    }

    /**
     * {@return the deepest stack of that type any thread reached since counting began}
     *
     * @param type the kind of context (app or request)
     */
    public static long maxDepth(ContextType type) {
        long max = 0;
        for (FlaskApp app : apps()) {
            max = Math.max(max, maxDepth(app, type));
        }
        return max;
    }

    /**
     * {@return the deepest stack of that type reached by a push of {@code app}'s contexts}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long maxDepth(FlaskApp app, ContextType type) {
        AppStats stats = app.stats();
        long deeper = stats.of(type).maxDepth.get();
        return deeper > 0 ? deeper : Math.min(1, stats.pushed(type));
    }

    /**
     * {@return contexts of that type found still pushed where they should not be, and popped}
     *
     * @param type the kind of context (app or request)
     */
    public static long leaked(ContextType type) {
        return sum(type, c -> c.leaked.sum());
    }

    /**
     * {@return {@code app}'s contexts of that type found leaked, and popped}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long leaked(FlaskApp app, ContextType type) {
        return app.stats().of(type).leaked.sum();
    }

    /**
     * {@return teardown hooks (of requests and app contexts) that threw}
     */
    public static long teardownErrors() {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += teardownErrors(app);
        }
        return total;
    }

    /**
     * {@return {@code app}'s teardown hooks that threw}
     *
     * @param app the app
     */
    public static long teardownErrors(FlaskApp app) {
        return app.stats().teardownErrors.sum();
    }

    /**
     * {@return copies of contexts taken and not yet finished or released: each one holds teardown back} Copies of
     * the apps that count ({@link FlaskApp#setCountingContexts(boolean)}) only, over all apps: a context's copies
     * count when its app counted as it was first copied.
     */
    public static long copiesPending() {
        return COPIES_PENDING.sum();
    }

    private static FlaskApp[] apps() {
        synchronized (APPS) {
            return APPS.toArray(new FlaskApp[0]);
        }
    }

    private static long sum(ContextType type, java.util.function.ToLongFunction<Counts> figure) {
        long total = 0;
        for (FlaskApp app : apps()) {
            total += figure.applyAsLong(app.stats().of(type));
        }
        return total;
    }

    /**
     * Counts a push of an app that counts (the caller has checked); the pop then counts it too.
     *
     * @param frame the calling thread's frame, which holds its counts
     */
    static void countPush(FlaskApp app, ContextType type, int depth, ContextOrigin origin, Object[] frame) {
        AppStats stats = app.stats();
        Counts counts = stats.of(type);
        long[] block = ThreadCounts.block(frame, stats);
        if (block != null) {
            boolean isApp = type == ContextType.APP;
            ThreadCounts.add(block, isApp ? ThreadCounts.APP_BY_ORIGIN + origin.ordinal() : ThreadCounts.REQUEST_PUSHED,
                    1);
            ThreadCounts.add(block, isApp ? ThreadCounts.APP_ACTIVE : ThreadCounts.REQUEST_ACTIVE, 1);
        } else {
            (type == ContextType.APP ? stats.appByOrigin[origin.ordinal()] : counts.pushed).increment();
            counts.active.increment();
        }
        if (depth > 1) {
            counts.aboveFirst.add(depth - 1);
            counts.maxDepth.accumulate(depth);
        }
    }

    /**
     * Counts the pop of a push that was counted.
     *
     * @param frame the calling thread's frame, the one the push was counted in: a context pops where it was pushed
     */
    static void countPop(FlaskApp app, ContextType type, Object[] frame) {
        AppStats stats = app.stats();
        long[] block = ThreadCounts.block(frame, stats);
        if (block != null) {
            ThreadCounts.add(block, type == ContextType.APP ? ThreadCounts.APP_ACTIVE : ThreadCounts.REQUEST_ACTIVE, -1);
        } else {
            stats.of(type).active.decrement();
        }
    }

    static void countLeak(FlaskApp app, ContextType type) {
        app.stats().of(type).leaked.increment();
    }

    /** Counts a copy of {@code app}'s contexts taken (a share of them acquired), when its copies count. */
    static void countCopy(AppContext app) {
        if (countsCopies(app)) {
            COPIES_PENDING.increment();
        }
    }

    /** Counts a copy of {@code app}'s contexts (the root or a copy of it) finished or released. */
    static void countCopyDone(AppContext app) {
        if (countsCopies(app)) {
            COPIES_PENDING.decrement();
        }
    }

    /** Whether copies of {@code app}'s contexts count: decided once per context, when its app counted then. */
    private static boolean countsCopies(AppContext app) {
        Lifetime life = app.root().lifetime();
        return life != null && life.countsCopies();
    }

    static void countTeardownError(FlaskApp app) {
        app.stats().teardownErrors.increment();
    }
}
