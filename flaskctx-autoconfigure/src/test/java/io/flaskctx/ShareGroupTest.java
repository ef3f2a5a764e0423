package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.local.Gc;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Abandoned copies are found per group: the copies of one root share one watch, and a share leaves its group when
 * it is spent, so only unspent shares keep the group (and its release) waiting.
 */
class ShareGroupTest {

    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void clean() {
        assertThat(CleanThread.wasLeftWithContexts()).isFalse();
    }

    private FlaskApp app() {
        FlaskApp app = new FlaskApp("grouped");
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
        gcUntil(() -> !log.isEmpty());
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
    void anEnteredCopyIsNeverReleasedByTheCollector() {
        // Its share left the group when it was entered: collecting the group releases nothing, the pop does.
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        AppContext owner = app.appContext().push();
        ContextCopy.Scope scope = Flask.copyCurrentAppContext().enter();
        WeakReference<ShareGroup> group = new WeakReference<>(Objects.requireNonNull(owner.lifetime()).group());
        assertThat(group.get()).isNotNull();
        assertThat(Gc.collects(group)).as("nothing holds the group of an entered copy").isTrue();
        gcUntil(() -> ContextStats.copiesPending() == pending);
        assertThat(ContextStats.copiesPending()).as("the entered copy's share").isEqualTo(pending + 1);

        scope.close();
        assertThat(log).as("the owner still has it pushed").isEmpty();
        owner.pop();
        assertThat(log).containsExactly("teardown_appcontext g.v=null");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void aRootThatTearsDownDropsItsGroupsWatch() {
        FlaskApp app = app();
        AppContext owner = app.appContext().push();
        Flask.copyCurrentAppContext().wrap(() -> { }).run();
        Lifetime lifetime = Objects.requireNonNull(owner.lifetime());
        assertThat(lifetime.group()).isNotNull();
        owner.pop();
        assertThat(log).containsExactly("teardown_appcontext g.v=null");
        assertThat(lifetime.group()).as("retired with the teardown, not left to the collector").isNull();
    }

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

    /** Runs the collector until {@code done} holds (the cleaner runs after it), or gives up: {@return done} */
    private static boolean gcUntil(BooleanSupplier done) {
        for (int i = 0; i < 50 && !done.getAsBoolean(); i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return done.getAsBoolean();
    }
}
