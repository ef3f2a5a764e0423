package io.flaskctx;

import java.util.Collections;
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
 * starter does when metrics or the endpoint are present). Counting uses striped adders, never locks, so a push
 * costs a few nanoseconds more while it is on. Copies for other threads ({@link #copiesPending()}) are counted
 * for the same apps, as they are as frequent as pushes: a context's copies count when its app counted at its first
 * copy. Leaks and teardown errors are counted always: they are rare and always worth knowing.
 */
public final class ContextStats {

    /**
     * One app's counts of one kind of context. A push on an empty stack, what nearly every push is, updates two
     * adders: the pushed count and the active one. Depth figures are kept only beyond the first level (the total
     * is the pushed count plus the levels above it), and an app context's pushed count is kept by origin alone.
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

    /** One app's figures: kept by the app itself, so a push touches only its own counters. */
    static final class AppStats {
        final Counts app = new Counts();
        final Counts request = new Counts();
        final LongAdder teardownErrors = new LongAdder();
        // App contexts pushed, by origin (request contexts all come from requests: their pushed count says it).
        final LongAdder[] appByOrigin = adders(ContextOrigin.all().length);

        Counts of(ContextType type) {
            return type == ContextType.APP ? app : request;
        }

        long pushed(ContextType type) {
            if (type == ContextType.REQUEST) {
                return request.pushed.sum();
            }
            long total = 0;
            for (LongAdder origin : appByOrigin) {
                total += origin.sum();
            }
            return total;
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
        return sum(type, c -> c.active.sum());
    }

    /**
     * {@return contexts of that type of {@code app} pushed right now, over all threads}
     *
     * @param app the app
     * @param type the kind of context (app or request)
     */
    public static long active(FlaskApp app, ContextType type) {
        return app.stats().of(type).active.sum();
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
        return app.stats().appByOrigin[origin.ordinal()].sum();
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

    /** Counts a push of an app that counts (the caller has checked); the pop then counts it too. */
    static void countPush(FlaskApp app, ContextType type, int depth, ContextOrigin origin) {
        AppStats stats = app.stats();
        Counts counts = stats.of(type);
        (type == ContextType.APP ? stats.appByOrigin[origin.ordinal()] : counts.pushed).increment();
        counts.active.increment();
        if (depth > 1) {
            counts.aboveFirst.add(depth - 1);
            counts.maxDepth.accumulate(depth);
        }
    }

    static void countPop(FlaskApp app, ContextType type) {
        app.stats().of(type).active.decrement();
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
