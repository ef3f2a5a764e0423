package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.local.Gc;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
