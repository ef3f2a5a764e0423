package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.ContextOrigin;
import io.flaskctx.ContextStats;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.scope.AppContextScope;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every run of a {@code @Scheduled} method gets its own app context, as every Celery task of a Flask shop does:
 * a fresh g, teardown once per run with the run's exception, nothing left on the scheduler's thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScheduledAppContextTest {

    private static final int RUNS = 120;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
            .withPropertyValues("flaskctx.app-name=shop", "spring.task.scheduling.shutdown.await-termination=true",
                    "spring.task.scheduling.shutdown.await-termination-period=30s");

    @Test
    void eachRunOnThePlatformSchedulerHasItsOwnContextAndTeardown() {
        runner.withUserConfiguration(TickerConfig.class).run(context -> {
            Ticker ticker = target(context.getBean(Ticker.class));
            assertThat(ticker.enough.await(60, TimeUnit.SECONDS)).as("%s runs", RUNS).isTrue();
            // the scheduler's single thread, between two runs, holds nothing
            TaskScheduler scheduler = context.getBean(TaskScheduler.class);
            assertThat(scheduler.getClass().getSimpleName()).isEqualTo("ThreadPoolTaskScheduler");
            assertThat(probe(scheduler)).isFalse();
            FlaskApp app = context.getBean(FlaskApp.class);
            context.close(); // waits for the run in flight
            assertRunsMatchTeardowns(ticker, app);
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void eachRunOnVirtualThreadsHasItsOwnContextAndTeardown() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").withUserConfiguration(TickerConfig.class)
                .run(context -> {
                    Ticker ticker = target(context.getBean(Ticker.class));
                    assertThat(ticker.enough.await(60, TimeUnit.SECONDS)).as("%s runs", RUNS).isTrue();
                    TaskScheduler scheduler = context.getBean(TaskScheduler.class);
                    assertThat(scheduler.getClass().getSimpleName()).isEqualTo("SimpleAsyncTaskScheduler");
                    FlaskApp app = context.getBean(FlaskApp.class);
                    context.close();
                    assertRunsMatchTeardowns(ticker, app);
                    assertThat(ticker.virtual).as("runs on virtual threads").isTrue();
                });
    }

    private static void assertRunsMatchTeardowns(Ticker ticker, FlaskApp app) {
        int runs = ticker.runs.get();
        assertThat(runs).isGreaterThanOrEqualTo(RUNS);
        assertThat(ticker.problems).isEmpty();
        assertThat(ticker.teardowns.get()).as("one teardown per run").isEqualTo(runs);
        assertThat(ticker.failedTeardowns.get()).as("each failed run's exception reached its teardown")
                .isEqualTo(runs / 10);
        assertThat(ContextStats.pushed(app, ContextOrigin.SCHEDULED)).isEqualTo(runs);
        assertThat(ContextStats.active(app, io.flaskctx.ContextType.APP)).isZero();
        assertThat(ticker.connections.opened.get()).as("one @AppContextScope connection per run").isEqualTo(runs);
        assertThat(ticker.connections.closed.get()).isEqualTo(runs);
    }

    /** The bean behind flaskctx's proxy: the tests read its fields, which the proxy does not share. */
    static <T> T target(T bean) {
        return org.springframework.test.util.AopTestUtils.getUltimateTargetObject(bean);
    }

    private static boolean probe(TaskScheduler scheduler) throws Exception {
        java.util.concurrent.CompletableFuture<Boolean> seen = new java.util.concurrent.CompletableFuture<>();
        scheduler.schedule(() -> seen.complete(Flask.hasAppContext()), java.time.Instant.now());
        return seen.get(30, TimeUnit.SECONDS);
    }

    @Test
    void theSwitchLeavesScheduledRunsWithoutAContext() {
        runner.withPropertyValues("flaskctx.scheduling.app-context=false").withUserConfiguration(OnceConfig.class)
                .run(context -> {
                    Once once = target(context.getBean(Once.class));
                    assertThat(once.ran.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(once.hadContext).containsExactly(false);
                });
    }

    @Test
    void aPrivateScheduledMethodStillRunsWithoutAContextAndIsReported(CapturedOutput output) {
        runner.withUserConfiguration(PrivateConfig.class).run(context -> {
            PrivateTicker ticker = context.getBean(PrivateTicker.class);
            assertThat(ticker.ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ticker.hadContext).containsExactly(false);
            assertThat(output).contains("flaskctx cannot push an app context around [" + PrivateTicker.class.getName()
                    + ".tick (private)]");
            assertThat(context.getBean(AppContextPostProcessor.class).describe())
                    .anySatisfy(entry -> assertThat(entry).containsEntry("method", PrivateTicker.class.getName() + ".tick")
                            .containsEntry("wrapped", false).containsEntry("reason", "it is private"));
        });
    }

    @Test
    void aBeanWithFinalMethodsIsLeftUnproxiedSoTheyKeepWorkingAndIsReported(CapturedOutput output) {
        runner.withUserConfiguration(FinalMethodConfig.class).run(context -> {
            FinalMethodTicker ticker = context.getBean(FinalMethodTicker.class);
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(ticker)).isFalse();
            assertThat(ticker.name()).isEqualTo("ticker");
            assertThat(ticker.ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ticker.hadContext).containsExactly(false);
            assertThat(output).contains(FinalMethodTicker.class.getName() + ".tick (its bean has final methods ([name])");
        });
    }

    @Test
    void theEndpointListsTheScheduledMethodsItWraps() {
        runner.withUserConfiguration(OnceConfig.class).run(context -> {
            assertThat(target(context.getBean(Once.class)).ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(context.getBean(AppContextPostProcessor.class).describe()).singleElement()
                    .satisfies(entry -> assertThat(entry).containsEntry("method", Once.class.getName() + ".tick")
                            .containsEntry("origin", "scheduled").containsEntry("app", "shop")
                            .containsEntry("wrapped", true));
        });
    }

    // --- beans -----------------------------------------------------------------------------------------------

    static class Ticker {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger teardowns = new AtomicInteger();
        final AtomicInteger failedTeardowns = new AtomicInteger();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final CountDownLatch enough = new CountDownLatch(RUNS);
        final Set<Integer> seenConnections = ConcurrentHashMap.newKeySet();
        volatile boolean virtual = true;
        private final Connection connection;
        final Counts connections;

        Ticker(Connection connection, Counts connections) {
            this.connection = connection;
            this.connections = connections;
        }

        @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.MILLISECONDS)
        void tick() {
            if (!Flask.hasAppContext()) {
                problems.add("a run without an app context");
                return;
            }
            if (!Flask.g().names().isEmpty()) {
                problems.add("a run found g holding " + Flask.g().names());
            }
            if (!isVirtual(Thread.currentThread())) {
                virtual = false;
            }
            int run = runs.incrementAndGet();
            Flask.g().set("run", run);
            if (!seenConnections.add(connection.id())) {
                problems.add("run " + run + " got the connection of an earlier run");
            }
            enough.countDown();
            if (run % 10 == 0) {
                throw new IllegalStateException("run " + run + " failed");
            }
        }

        @TeardownAppContext
        void teardown(Throwable error, G g) {
            teardowns.incrementAndGet();
            if (error != null) {
                failedTeardowns.incrementAndGet();
                if (!error.getMessage().equals("run " + g.get("run") + " failed")) {
                    problems.add("teardown of run " + g.get("run") + " got " + error);
                }
            }
        }

        private static boolean isVirtual(Thread thread) {
            try {
                return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
            } catch (ReflectiveOperationException onJdk17) {
                return false;
            }
        }
    }

    static class Counts {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
    }

    static class Connection implements AutoCloseable {
        private static final AtomicInteger ids = new AtomicInteger();
        private final int id = ids.incrementAndGet();
        private final Counts counts;

        Connection(Counts counts) {
            this.counts = counts;
            counts.opened.incrementAndGet();
        }

        int id() {
            return id;
        }

        @Override
        public void close() {
            counts.closed.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class TickerConfig {
        @Bean
        Counts counts() {
            return new Counts();
        }

        @Bean
        @AppContextScope
        Connection connection(Counts counts) {
            return new Connection(counts);
        }

        @Bean
        Ticker ticker(FlaskApp app, Connection connection, Counts counts) {
            app.setCountingContexts(true);
            return new Ticker(connection, counts);
        }
    }

    static class Once {
        final CountDownLatch ran = new CountDownLatch(1);
        final List<Boolean> hadContext = new CopyOnWriteArrayList<>();

        @Scheduled(initialDelay = 0, fixedDelay = 3_600_000)
        void tick() {
            hadContext.add(Flask.hasAppContext());
            ran.countDown();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class OnceConfig {
        @Bean
        Once once() {
            return new Once();
        }
    }

    static class PrivateTicker {
        final CountDownLatch ran = new CountDownLatch(1);
        final List<Boolean> hadContext = new CopyOnWriteArrayList<>();

        @Scheduled(initialDelay = 0, fixedDelay = 3_600_000)
        private void tick() {
            hadContext.add(Flask.hasAppContext());
            ran.countDown();
        }
    }

    static class FinalMethodTicker {
        final CountDownLatch ran = new CountDownLatch(1);
        final List<Boolean> hadContext = new CopyOnWriteArrayList<>();
        private final String name = "ticker";

        @Scheduled(initialDelay = 0, fixedDelay = 3_600_000)
        void tick() {
            hadContext.add(Flask.hasAppContext());
            ran.countDown();
        }

        public final String name() {
            return name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class FinalMethodConfig {
        @Bean
        FinalMethodTicker finalMethodTicker() {
            return new FinalMethodTicker();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class PrivateConfig {
        @Bean
        PrivateTicker privateTicker() {
            return new PrivateTicker();
        }
    }
}
