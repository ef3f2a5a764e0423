package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.local.Gc;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Abandoned copies are found per group: the copies of one root count together, a share leaves its group when it is
 * spent, and only a group with unspent shares after its owner's end is watched by the collector.
 */
class ShareGroupTest {

    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void clean() {
        assertThat(CleanThread.wasLeftWithContexts()).isFalse();
    }

    private FlaskApp app() {
        FlaskApp app = new FlaskApp("grouped");
        app.setCountingContexts(true);
        app.teardownRequest(error -> log.add("teardown_request g.v=" + Flask.g().get("v")));
        app.teardownAppContext(error -> log.add("teardown_appcontext g.v=" + Flask.g().get("v")));
        return app;
    }

    @Test
    void aSpentCopyStillReachableDoesNotHoldBackAnAbandonedOne() {
        FlaskApp app = app();
        Runnable ran;
        WeakReference<Runnable> abandoned;
        try (var ctx = app.appContext().push()) {
            Flask.g().set("v", "kept");
            ran = Flask.copyCurrentAppContext().wrap(() -> log.add("ran"));
            ran.run();
            abandoned = new WeakReference<>(Flask.copyCurrentAppContext().wrap(() -> log.add("never")));
        }
        assertThat(log).as("the abandoned copy still holds a share").containsExactly("ran");
        assertThat(Gc.collects(abandoned)).isTrue();
        assertThat(gcUntil(() -> log.size() > 1)).as("released while the spent copy is still reachable").isTrue();
        assertThat(log).containsExactly("ran", "teardown_appcontext g.v=kept");
        Reference.reachabilityFence(ran);
    }

    @Test
    void anAbandonedCopyIsReleasedOnceTheLiveCopiesBesideItHaveRun() {
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        Runnable live;
        WeakReference<Runnable> abandoned;
        try (var ctx = app.appContext().push()) {
            live = Flask.copyCurrentAppContext().wrap(() -> log.add("live ran"));
            abandoned = new WeakReference<>(Flask.copyCurrentAppContext().wrap(() -> log.add("never")));
        }
        assertThat(Gc.collects(abandoned)).isTrue();
        gcRounds(10);
        assertThat(log).as("the live copy has not run: teardown waits for it anyway").isEmpty();
        assertThat(ContextStats.copiesPending()).isEqualTo(pending + 2);

        live.run();
        assertThat(log).containsExactly("live ran");
        live = null;
        assertThat(gcUntil(() -> log.size() > 1)).isTrue();
        assertThat(log).containsExactly("live ran", "teardown_appcontext g.v=null");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void anEnteredCopyIsNeverReleasedByTheCollector() throws Exception {
        // Its share left the group when it was entered: the owner's end finds nothing unspent to watch, and only
        // the copy's pop releases it.
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        AppContext owner = app.appContext().push();
        ContextCopy copy = Flask.copyCurrentAppContext();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try (ContextCopy.Scope scope = copy.enter()) {
                entered.countDown();
                // until the test lets it go: the collector runs meanwhile, slowly on a full heap
                leave.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "entered-copy");
        worker.start();
        await(entered);
        owner.pop();
        assertThat(Objects.requireNonNull(owner.lifetime()).watched()).as("nothing unspent to watch").isFalse();
        gcRounds(10);
        assertThat(log).as("the entered copy still holds the teardown").isEmpty();
        assertThat(ContextStats.copiesPending()).isEqualTo(pending + 1);

        leave.countDown();
        worker.join(5_000);
        assertThat(log).containsExactly("teardown_appcontext g.v=null");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void aRootWhoseCopiesAllRanBeforeItsEndIsNeverWatched() {
        FlaskApp app = app();
        RequestContext request = app.requestContext(new MockHttpServletRequest()).push();
        Flask.copyCurrentRequestContext().wrap(() -> log.add("ran")).run();
        Flask.copyCurrentRequestContext().close();
        Lifetime lifetime = Objects.requireNonNull(request.lifetime());
        assertThat(lifetime.openGroup()).as("held while the owner has it").isNotNull();
        assertThat(lifetime.watched()).isFalse();
        request.pop();
        assertThat(lifetime.openGroup()).as("sealed and let go of at the owner's end").isNull();
        assertThat(lifetime.watched()).as("nothing was left to watch").isFalse();
        assertThat(log).containsExactly("ran", "teardown_request g.v=null", "teardown_appcontext g.v=null");
    }

    @Test
    void aRootThatEndsWithAnUnspentCopyIsWatchedUntilItsTeardown() {
        FlaskApp app = app();
        AppContext owner = app.appContext().push();
        Runnable live = Flask.copyCurrentAppContext().wrap(() -> log.add("ran"));
        Lifetime lifetime = Objects.requireNonNull(owner.lifetime());
        assertThat(lifetime.watched()).as("nothing is watched while the owner has the context").isFalse();
        owner.pop();
        assertThat(lifetime.watched()).as("an unspent copy outlives the owner").isTrue();
        live.run();
        assertThat(log).containsExactly("ran", "teardown_appcontext g.v=null");
        assertThat(lifetime.watched()).as("retired with the teardown, not left to the collector").isFalse();
    }

    @Test
    void aCopyMadeAfterTheOwnersEndIsWatchedFromTheStart() {
        FlaskApp app = app();
        AppContext owner = app.appContext().push();
        Runnable first = Flask.copyCurrentAppContext().wrap(() -> {
            // inside a copy, after the owner's end: a copy of the copy, then abandoned
            abandonedLate = new WeakReference<>(Flask.copyCurrentAppContext().wrap(() -> log.add("never")));
            log.add("first ran");
        });
        owner.pop();
        first.run();
        assertThat(log).containsExactly("first ran");
        assertThat(Gc.collects(Objects.requireNonNull(abandonedLate))).isTrue();
        assertThat(gcUntil(() -> log.size() > 1)).isTrue();
        assertThat(log).containsExactly("first ran", "teardown_appcontext g.v=null");
    }

    private @Nullable WeakReference<Runnable> abandonedLate;

    @Test
    void aRequestCopiedUnderAnotherAppContextIsWatchedApartFromItsOtherCopies() {
        // Its shares are of another app context: counted together with the request's other copies, an abandoned
        // one would wait for them, or release the wrong app context.
        FlaskApp app = app();
        try (var request = app.requestContext(new MockHttpServletRequest()).push()) {
            Flask.g().set("v", "request's");
            WeakReference<Runnable> abandoned;
            try (var manual = app.appContext().push()) {
                Flask.g().set("v", "manual");
                abandoned = new WeakReference<>(Flask.copyCurrentRequestContext().wrap(() -> log.add("never")));
            }
            assertThat(log).as("the manual app context waits for its copy").isEmpty();
            Runnable live = Flask.copyCurrentRequestContext().wrap(() -> log.add("live ran g.v=" + Flask.g().get("v")));
            assertThat(Gc.collects(abandoned)).isTrue();
            assertThat(gcUntil(() -> !log.isEmpty())).as("released while the request's own copy is live").isTrue();
            assertThat(log).containsExactly("teardown_appcontext g.v=manual");
            live.run();
        }
        assertThat(log).containsExactly("teardown_appcontext g.v=manual", "live ran g.v=request's",
                "teardown_request g.v=request's", "teardown_appcontext g.v=request's");
    }

    @Test
    void copiesRunOnTheOwnersThreadAreCountedOutThereSoItsEndTearsDownAtOnce() {
        // The owner takes, spends and releases these shares on its own thread while it has the roots pushed: all
        // counted plainly. Were one of those counts lost, the end would find a share outstanding and wait for ever.
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        RequestContext request = app.requestContext(new MockHttpServletRequest()).push();
        Flask.g().set("v", "request's");
        Flask.copyCurrentRequestContext().wrap(() -> log.add("wrapped ran")).run();
        ContextCopy.wrapCurrent(() -> log.add("decorated ran")).run();
        try (ContextCopy.Scope scope = Flask.copyCurrentRequestContext().enter()) {
            log.add("entered");
        }
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
        request.pop();
        assertThat(log).containsExactly("wrapped ran", "decorated ran", "entered", "teardown_request g.v=request's",
                "teardown_appcontext g.v=request's");
        assertThat(Objects.requireNonNull(request.lifetime()).watched()).as("nothing was left to watch").isFalse();
    }

    @Test
    void theOwnersCopiesRunHereElsewhereOrNeverAreCountedRightWhenItsGroupIsSealed() throws Exception {
        // The owner counts its own shares plainly; a share it took and another thread spent is counted out of the
        // shared count, which goes below zero, and one another thread took and the owner spent the other way
        // round. The seal adds both: exactly the abandoned share is left, found by the collector.
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        WeakReference<Runnable> abandoned;
        try (var ctx = app.appContext().push()) {
            Flask.g().set("v", "kept");
            Flask.copyCurrentAppContext().wrap(() -> log.add("here")).run();
            Runnable elsewhere = Flask.copyCurrentAppContext().wrap(() -> log.add("elsewhere"));
            List<Runnable> handedBack = new CopyOnWriteArrayList<>();
            Runnable copying = Flask.copyCurrentAppContext().wrap(
                    () -> handedBack.add(Flask.copyCurrentAppContext().wrap(() -> log.add("handed back"))));
            abandoned = new WeakReference<>(Flask.copyCurrentAppContext().wrap(() -> log.add("never")));
            assertThat(AnotherThread.thrownBy(elsewhere)).isNull();
            assertThat(AnotherThread.thrownBy(copying)).isNull();
            handedBack.get(0).run();
        }
        assertThat(log).as("the abandoned copy still holds a share").containsExactly("here", "elsewhere",
                "handed back");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending + 1);
        assertThat(Gc.collects(abandoned)).isTrue();
        assertThat(gcUntil(() -> log.size() > 3)).isTrue();
        gcRounds(3);
        assertThat(log).containsExactly("here", "elsewhere", "handed back", "teardown_appcontext g.v=kept");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void aCopyFromTheOwnersLastLifeRunOnItsThreadInTheNextLeavesTheSealedGroupForGood() {
        // The copy's group was the owner's own, but sealed at that life's end: spending the copy on the owner's
        // thread later must count it out of that group, or the collector would release its share a second time.
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        AppContext ctx = app.appContext();
        ctx.push();
        Runnable carried = Flask.copyCurrentAppContext().wrap(() -> log.add("carried ran"));
        Runnable other = Flask.copyCurrentAppContext().wrap(() -> log.add("other ran"));
        ctx.pop();
        assertThat(log).isEmpty();
        ctx.push();
        carried.run();
        ctx.pop();
        assertThat(log).as("the other copy still holds the teardown").containsExactly("carried ran");
        other.run();
        assertThat(log).containsExactly("carried ran", "other ran", "teardown_appcontext g.v=null");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
        carried = null;
        other = null;
        gcRounds(5);
        assertThat(log).as("torn down once").hasSize(3);
        assertThat(ContextStats.copiesPending()).as("no share released twice").isEqualTo(pending);
    }

    @Test
    void requestsWhoseCopiesRunHereElsewhereLaterOrNeverEachTearDownOnce() throws Exception {
        FlaskApp app = new FlaskApp("mixed");
        app.setCountingContexts(true);
        Map<Object, AtomicInteger> teardowns = new ConcurrentHashMap<>();
        app.teardownRequest(error -> teardowns.computeIfAbsent(Objects.requireNonNull(Flask.g().get("id")),
                id -> new AtomicInteger()).incrementAndGet());
        long pending = ContextStats.copiesPending();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        Random random = new Random(21);
        List<Future<?>> running = new ArrayList<>();
        List<Runnable> afterTheEnd = new ArrayList<>();
        int requests = 300;
        try {
            for (int r = 0; r < requests; r++) {
                try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
                    Flask.g().set("id", r);
                    List<Runnable> handedBack = new CopyOnWriteArrayList<>();
                    List<Future<?>> handing = new ArrayList<>();
                    for (int c = 0; c < 6; c++) {
                        switch (random.nextInt(6)) {
                            case 0 -> ContextCopy.wrapCurrent(() -> { }).run();
                            case 1 -> running.add(workers.submit(ContextCopy.wrapCurrent(() -> { })));
                            case 2 -> handing.add(workers.submit(Flask.copyCurrentRequestContext().wrap(
                                    () -> handedBack.add(Flask.copyCurrentRequestContext().wrap(() -> { })))));
                            case 3 -> afterTheEnd.add(Flask.copyCurrentRequestContext().wrap(() -> { }));
                            case 4 -> Flask.copyCurrentRequestContext().wrap(() -> { }); // abandoned
                            default -> {
                                try (ContextCopy.Scope scope = Flask.copyCurrentRequestContext().enter()) {
                                    Flask.g().set("entered", true);
                                }
                            }
                        }
                    }
                    for (Future<?> handed : handing) {
                        handed.get(5, TimeUnit.SECONDS);
                    }
                    handedBack.forEach(Runnable::run);
                }
            }
            for (Runnable late : afterTheEnd) {
                running.add(workers.submit(late));
            }
            for (Future<?> task : running) {
                task.get(5, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdown();
        }
        afterTheEnd.clear();
        assertThat(gcUntil(() -> teardowns.size() == requests)).as("every request tore down").isTrue();
        gcRounds(3);
        assertThat(teardowns.values()).as("each once").allMatch(count -> count.get() == 1);
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void anOwnerEndingAndPushingAgainWhileAnotherThreadCopiesItsCopiesLosesNoShare() throws Exception {
        // The owner ends and restarts its context over and over, counting its own copies plainly, while a worker in a
        // copy of it copies it again (joining the owner's groups, or holding groups of its own when it finds none
        // open), runs those copies, hands them to the owner or drops them. Every share must be counted out once.
        FlaskApp app = new FlaskApp("restarted");
        app.setCountingContexts(true);
        AtomicInteger teardowns = new AtomicInteger();
        app.teardownAppContext(error -> teardowns.incrementAndGet());
        long pending = ContextStats.copiesPending();
        AppContext ctx = app.appContext();
        ctx.push();
        ContextCopy forWorker = Flask.copyCurrentAppContext();
        BlockingQueue<Runnable> toOwner = new LinkedBlockingQueue<>();
        AtomicInteger workerSteps = new AtomicInteger();
        Thread worker = new Thread(() -> {
            Random random = new Random(7);
            try (ContextCopy.Scope scope = forWorker.enter()) {
                for (int i = 0; i < 20_000; i++) {
                    Runnable copy = Flask.copyCurrentAppContext().wrap(workerSteps::incrementAndGet);
                    switch (random.nextInt(3)) {
                        case 0 -> copy.run();
                        case 1 -> toOwner.add(copy);
                        default -> { } // abandoned
                    }
                }
            }
        }, "copying-worker");
        worker.start();
        Random random = new Random(11);
        while (worker.isAlive()) {
            ctx.pop();
            ctx.push();
            for (int c = random.nextInt(4); c > 0; c--) {
                Flask.copyCurrentAppContext().wrap(() -> { }).run();
            }
            Runnable handed;
            while ((handed = toOwner.poll()) != null) {
                handed.run();
            }
        }
        worker.join(30_000);
        Runnable handed;
        while ((handed = toOwner.poll()) != null) {
            handed.run();
        }
        ctx.pop();
        Lifetime lifetime = Objects.requireNonNull(ctx.lifetime());
        assertThat(gcUntil(() -> lifetime.isOver() && ContextStats.copiesPending() == pending))
                .as("every share released once the abandoned ones are collected: pending %s, baseline %s",
                        ContextStats.copiesPending(), pending).isTrue();
        gcRounds(3);
        assertThat(ContextStats.copiesPending()).as("no share released twice").isEqualTo(pending);
        assertThat(teardowns.get()).as("the last life tore down").isPositive();
        assertThat(workerSteps.get()).as("the worker's copies ran").isPositive();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the collector until {@code done} holds (the cleaner runs after it), or gives up: {@return done} */
    private static boolean gcUntil(BooleanSupplier done) {
        for (int i = 0; i < 50 && !done.getAsBoolean(); i++) {
            gcRounds(1);
        }
        return done.getAsBoolean();
    }

    /** Gives the collector, and the cleaner after it, {@code rounds} chances to act on what is unreachable. */
    private static void gcRounds(int rounds) {
        for (int i = 0; i < rounds; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
