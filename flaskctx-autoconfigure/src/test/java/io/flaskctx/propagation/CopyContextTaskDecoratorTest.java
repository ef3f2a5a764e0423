package io.flaskctx.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The decorator on a task scheduler, as Boot applies it: a one-shot task runs with the scheduling code's contexts;
 * a periodic task (decorated once, run every period) runs on every period, and does not hold their teardown.
 */
class CopyContextTaskDecoratorTest {

    private final FlaskApp app = new FlaskApp("scheduling");
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private final List<String> teardowns = new CopyOnWriteArrayList<>();

    CopyContextTaskDecoratorTest() {
        scheduler.setTaskDecorator(new CopyContextTaskDecorator());
        scheduler.initialize();
        app.teardownAppContext(error -> teardowns.add("teardown"));
    }

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }

    @Test
    void aPeriodicTaskScheduledInsideAContextRunsOnEveryPeriodAndDoesNotHoldItsTeardown() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        List<Boolean> sawContext = new CopyOnWriteArrayList<>();
        try (var ctx = app.appContext().push()) {
            scheduler.scheduleAtFixedRate(() -> {
                sawContext.add(Flask.hasAppContext());
                runs.incrementAndGet();
                threeRuns.countDown();
            }, Duration.ofMillis(5));
        }
        assertThat(teardowns).as("the context tore down when it was popped").containsExactly("teardown");
        assertThat(threeRuns.await(10, TimeUnit.SECONDS)).as("runs: " + runs.get()).isTrue();
        assertThat(sawContext).doesNotContain(true);
    }

    @Test
    void aOneShotTaskScheduledInsideAContextRunsWithItsG() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        List<Object> seen = new CopyOnWriteArrayList<>();
        try (var ctx = app.appContext().push()) {
            Flask.g().set("user", "alice");
            scheduler.schedule(() -> {
                seen.add(Flask.g().get("user"));
                ran.countDown();
            }, java.time.Instant.now().plusMillis(20));
        }
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("alice");
    }
}
