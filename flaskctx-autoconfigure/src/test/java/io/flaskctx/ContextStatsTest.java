package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.reflect.Method;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.mock.web.MockHttpServletRequest;

class ContextStatsTest {

    /** {@return {@code n} platform threads running {@code body}, started} */
    private static Thread[] started(int n, Runnable body) {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            threads[i] = new Thread(body);
            threads[i].start();
        }
        return threads;
    }

    private static FlaskApp counted(String name) {
        FlaskApp app = new FlaskApp(name);
        app.setCountingContexts(true);
        return app;
    }

    @Test
    void countsPushesActiveContextsAndTheDeepestStack() {
        FlaskApp app = counted("counted");
        long pushedApps = ContextStats.pushed(ContextType.APP);
        long pushedRequests = ContextStats.pushed(ContextType.REQUEST);
        long activeApps = ContextStats.active(ContextType.APP);
        try (var outer = app.requestContext(new MockHttpServletRequest()).push();
                var a = counted("a").appContext().push();
                var b = counted("b").appContext().push();
                var c = counted("c").appContext().push()) {
            assertThat(ContextStats.active(ContextType.APP) - activeApps).isEqualTo(4);
            assertThat(ContextStats.maxDepth(ContextType.APP)).isGreaterThanOrEqualTo(4);
        }
        assertThat(ContextStats.active(ContextType.APP)).isEqualTo(activeApps);
        assertThat(ContextStats.pushed(ContextType.APP) - pushedApps).isEqualTo(4);
        assertThat(ContextStats.pushed(ContextType.REQUEST) - pushedRequests).isEqualTo(1);
        assertThat(ContextStats.depthTotal(ContextType.APP)).isGreaterThanOrEqualTo(1 + 2 + 3 + 4);
    }

    @Test
    void oneAppsDepthFiguresAreExactAtEveryLevel() {
        FlaskApp app = counted("depths");
        assertThat(ContextStats.maxDepth(app, ContextType.APP)).as("nothing pushed yet").isZero();
        app.appContext().push().pop();
        assertThat(ContextStats.maxDepth(app, ContextType.APP)).as("one push on an empty stack").isEqualTo(1);
        assertThat(ContextStats.depthTotal(app, ContextType.APP)).isEqualTo(1);
        try (var one = app.appContext().push(); var two = app.appContext().push();
                var three = app.appContext(ContextOrigin.SCHEDULED).push()) {
            assertThat(ContextStats.active(app, ContextType.APP)).isEqualTo(3);
        }
        assertThat(ContextStats.maxDepth(app, ContextType.APP)).isEqualTo(3);
        assertThat(ContextStats.depthTotal(app, ContextType.APP)).isEqualTo(1 + 1 + 2 + 3);
        assertThat(ContextStats.pushed(app, ContextType.APP)).isEqualTo(4);
        assertThat(ContextStats.active(app, ContextType.APP)).isZero();
        try (var request = app.requestContext(new MockHttpServletRequest()).push()) {
            assertThat(ContextStats.maxDepth(app, ContextType.REQUEST)).isEqualTo(1);
        }
        assertThat(ContextStats.depthTotal(app, ContextType.REQUEST)).isEqualTo(1);
        assertThat(ContextStats.pushed(app, ContextType.REQUEST)).isEqualTo(1);
    }

    @Test
    void onlyTheAppsThatCountAreCounted() {
        FlaskApp counted = counted("counting");
        FlaskApp quiet = new FlaskApp("quiet");
        counted.appContext().push().pop();
        quiet.appContext().push().pop();
        assertThat(ContextStats.pushed(counted, ContextType.APP)).isEqualTo(1);
        assertThat(ContextStats.pushed(quiet, ContextType.APP)).isZero();
    }

    @Test
    void appContextsAreCountedByWhereTheyCameFrom() {
        FlaskApp app = counted("origins");
        app.appContext().push().pop();
        app.appContext(ContextOrigin.SCHEDULED).push().pop();
        app.appContext(ContextOrigin.SCHEDULED).push().pop();
        try (var request = app.requestContext(new MockHttpServletRequest()).push()) {
            assertThat(Flask.g()).isNotNull();
        }
        assertThat(ContextStats.pushed(app, ContextOrigin.MANUAL)).isEqualTo(1);
        assertThat(ContextStats.pushed(app, ContextOrigin.SCHEDULED)).isEqualTo(2);
        assertThat(ContextStats.pushed(app, ContextOrigin.REQUEST)).as("the request's implicit app context").isEqualTo(1);
        assertThat(ContextStats.pushed(app, ContextOrigin.METHOD)).isZero();
        assertThat(ContextStats.pushed(app, ContextType.APP)).isEqualTo(4);
        assertThat(app.appContext(ContextOrigin.RUNNER).origin()).isEqualTo(ContextOrigin.RUNNER);
        assertThat(app.appContext().origin()).isEqualTo(ContextOrigin.MANUAL);
    }

    @Test
    void aCopyOfAContextKeepsItsOrigin() {
        FlaskApp app = counted("copied-origin");
        try (var ctx = app.appContext(ContextOrigin.RUNNER).push()) {
            Flask.copyCurrentAppContext().wrap(() -> assertThat(ContextStats.pushed(app, ContextOrigin.RUNNER))
                    .isEqualTo(2)).run();
        }
        assertThat(ContextStats.pushed(app, ContextOrigin.MANUAL)).isZero();
    }

    @Test
    void aContextPushedTwiceCountsTwiceAndGoesBackToZero() {
        long active = ContextStats.active(ContextType.APP);
        AppContext ctx = counted("twice").appContext();
        ctx.push();
        ctx.push();
        assertThat(ContextStats.active(ContextType.APP) - active).isEqualTo(2);
        ctx.pop();
        ctx.pop();
        assertThat(ContextStats.active(ContextType.APP)).isEqualTo(active);
    }

    @Test
    void aContextPushedBeforeCountingBeganIsNotCountedWhenItPops() {
        FlaskApp app = new FlaskApp("late-counting");
        AppContext early = app.appContext().push();
        app.setCountingContexts(true);
        try (var counted = app.appContext().push()) {
            assertThat(ContextStats.active(app, ContextType.APP)).isEqualTo(1);
        }
        early.pop();
        assertThat(ContextStats.active(app, ContextType.APP)).isZero();
        assertThat(ContextStats.pushed(app, ContextType.APP)).isEqualTo(1);
    }

    @Test
    void theActiveCountReadWhileOtherThreadsPushAndPopIsNeverBelowZeroNorAboveWhatIsPushed() throws Exception {
        // Each thread has at most one context pushed here, so a sum of what the threads count must stay within 0 and
        // their number. Counting active contexts as pushed minus popped, two sums read one after the other, read
        // 57,041: every push between the two reads inflated it.
        FlaskApp app = counted("racing");
        int threads = 3;
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(threads);
        Thread[] workers = started(threads, () -> {
            started.countDown();
            while (!stop.get()) {
                app.appContext().push().pop();
            }
        });
        started.await();
        AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        AtomicLong highest = new AtomicLong(Long.MIN_VALUE);
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until || ContextStats.pushed(app, ContextType.APP) < 10_000) {
            long active = ContextStats.active(app, ContextType.APP);
            lowest.accumulateAndGet(active, Math::min);
            highest.accumulateAndGet(active, Math::max);
        }
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(lowest.get()).isGreaterThanOrEqualTo(0);
        assertThat(highest.get()).isLessThanOrEqualTo(threads);
        assertThat(ContextStats.active(app, ContextType.APP)).isZero();
        assertThat(ContextStats.pushed(app, ContextType.APP)).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void eachThreadCountsInItsOwnBlockAndTheBlocksOfThreadsThatEndedAreFoldedNotLost() throws Exception {
        FlaskApp app = counted("threads");
        int threads = 4;
        int each = 1_000;
        CyclicBarrier holding = new CyclicBarrier(threads + 1);
        CyclicBarrier release = new CyclicBarrier(threads + 1);
        Thread[] workers = started(threads, () -> {
            try {
                for (int n = 0; n < each - 1; n++) {
                    app.requestContext(new MockHttpServletRequest()).push().pop();
                }
                try (var held = app.requestContext(new MockHttpServletRequest()).push()) {
                    holding.await(10, TimeUnit.SECONDS);
                    release.await(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        holding.await(10, TimeUnit.SECONDS);
        // Every thread holds one request (and its app context) pushed: its own block says so.
        assertThat(ContextStats.active(app, ContextType.REQUEST)).isEqualTo(threads);
        assertThat(ContextStats.active(app, ContextType.APP)).isEqualTo(threads);
        assertThat(app.stats().threadsCounting()).isEqualTo(threads);
        release.await(10, TimeUnit.SECONDS);
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(ContextStats.pushed(app, ContextType.REQUEST)).isEqualTo((long) threads * each);
        assertThat(ContextStats.pushed(app, ContextOrigin.REQUEST)).isEqualTo((long) threads * each);
        assertThat(ContextStats.active(app, ContextType.REQUEST)).isZero();
        assertThat(ContextStats.active(app, ContextType.APP)).isZero();
        assertThat(app.stats().threadsCounting()).as("the ended threads' blocks folded and let go").isZero();
    }

    @Test
    void aThreadThatCountsForMoreAppsThanItsFrameKeepsCountsEveryOneOfThem() {
        FlaskApp[] apps = new FlaskApp[12];
        for (int i = 0; i < apps.length; i++) {
            apps[i] = counted("many-" + i);
        }
        for (int round = 0; round < 3; round++) {
            for (FlaskApp app : apps) {
                app.appContext().push().pop();
            }
        }
        try (var outer = apps[0].appContext().push(); var inner = apps[11].appContext().push()) {
            assertThat(ContextStats.active(apps[0], ContextType.APP)).isEqualTo(1);
            assertThat(ContextStats.active(apps[11], ContextType.APP)).isEqualTo(1);
        }
        for (FlaskApp app : apps) {
            assertThat(ContextStats.pushed(app, ContextType.APP)).as(app.name()).isEqualTo(app == apps[0]
                    || app == apps[11] ? 4 : 3);
            assertThat(ContextStats.active(app, ContextType.APP)).as(app.name()).isZero();
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsCountInTheSharedCountersWithoutABlockEach() throws Exception {
        FlaskApp app = counted("virtual");
        Method ofVirtual = Thread.class.getMethod("ofVirtual");
        Object builder = ofVirtual.invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread[] threads = new Thread[50];
        AtomicLong blocksSeen = new AtomicLong();
        for (int i = 0; i < threads.length; i++) {
            threads[i] = (Thread) start.invoke(builder, (Runnable) () -> {
                try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
                    blocksSeen.accumulateAndGet(app.stats().threadsCounting(), Math::max);
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(blocksSeen.get()).as("no block registered by a live virtual thread").isZero();
        assertThat(ContextStats.pushed(app, ContextType.REQUEST)).isEqualTo(50);
        assertThat(ContextStats.pushed(app, ContextOrigin.REQUEST)).isEqualTo(50);
        assertThat(ContextStats.active(app, ContextType.REQUEST)).isZero();
    }

    @Test
    void teardownHooksThatThrowAreCounted() {
        FlaskApp app = new FlaskApp("failing");
        app.teardownAppContext(error -> {
            throw new IllegalStateException("one");
        });
        app.teardownAppContext(error -> {
            throw new IllegalStateException("two");
        });
        long before = ContextStats.teardownErrors();
        try {
            app.appContext().push().pop();
        } catch (IllegalStateException expected) {
            // the first failure propagates
        }
        assertThat(ContextStats.teardownErrors() - before).isEqualTo(2);
    }
}
