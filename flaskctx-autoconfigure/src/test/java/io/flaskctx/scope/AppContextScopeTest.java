package io.flaskctx.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.OutsideContextException;
import io.flaskctx.autoconfigure.FlaskAutoConfiguration;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

/** The seeds' SqlHelper idea as a Spring bean: one connection per app context, closed at its teardown. */
class AppContextScopeTest {

    static final List<String> log = new CopyOnWriteArrayList<>();
    static final String DESTROY_HOOK = "destroy @AppContextScope beans";
    static final AtomicInteger opened = new AtomicInteger();

    static class Connection implements AutoCloseable {
        final int id = opened.incrementAndGet();

        Connection() {
            log.add("open " + id);
        }

        int id() {
            return id;
        }

        @Override
        public void close() {
            log.add("close " + id);
        }
    }

    static class Cache {
        private final Connection connection;

        Cache(Connection connection) {
            this.connection = connection;
            log.add("cache over " + connection.id());
        }

        int connectionId() {
            return connection.id();
        }

        @PreDestroy
        void drop() {
            log.add("drop cache");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        @AppContextScope
        Connection connection() {
            return new Connection();
        }

        @Bean
        @AppContextScope
        Cache cache(Connection connection) {
            return new Cache(connection);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class)).withUserConfiguration(Beans.class);

    private static List<String> appTeardownHooks(FlaskApp app) {
        return app.describeHooks().get("teardown_appcontext");
    }

    @Test
    void anAppWithoutScopedBeansKeepsNoTeardownHookForThem() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class))
                .run(spring -> assertThat(appTeardownHooks(spring.getBean(FlaskApp.class)))
                        .doesNotContain(DESTROY_HOOK));
    }

    @Test
    void anAppWithScopedBeanDefinitionsHasTheHookFromStartUp() {
        runner.run(spring -> assertThat(appTeardownHooks(spring.getBean(FlaskApp.class))).containsExactly(DESTROY_HOOK));
    }

    @Test
    void aScopedBeanDefinedAfterStartUpIsStillDestroyedAtTeardown() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class))
                .run(spring -> {
                    log.clear();
                    FlaskApp app = spring.getBean(FlaskApp.class);
                    ((GenericApplicationContext) spring.getSourceApplicationContext()).registerBean("late",
                            Connection.class, Connection::new, definition -> definition.setScope(AppContextBeanScope.NAME));
                    int first;
                    try (var ctx = app.appContext().push()) {
                        first = spring.getBean("late", Connection.class).id();
                    }
                    assertThat(log).containsExactly("open " + first, "close " + first);
                    try (var ctx = app.appContext().push()) {
                        spring.getBean("late", Connection.class);
                    }
                    assertThat(appTeardownHooks(app)).as("hooked once").containsExactly(DESTROY_HOOK);
                    assertThat(log).hasSize(4).last().isEqualTo("close " + (first + 1));
                });
    }

    @Test
    void oneInstancePerContextDestroyedOnceAtTeardownNewestFirst() {
        runner.run(spring -> {
            log.clear();
            FlaskApp app = spring.getBean(FlaskApp.class);
            Connection connection = spring.getBean(Connection.class);
            Cache cache = spring.getBean(Cache.class);
            int id;
            try (var ctx = app.appContext().push()) {
                id = connection.id();
                assertThat(connection.id()).isEqualTo(id);
                assertThat(cache.connectionId()).isEqualTo(id);
                assertThat(log).containsExactly("open " + id, "cache over " + id);
            }
            assertThat(log).containsExactly("open " + id, "cache over " + id, "drop cache", "close " + id);
        });
    }

    @Test
    void nestedContextsGetTheirOwnInstances() {
        runner.run(spring -> {
            log.clear();
            FlaskApp app = spring.getBean(FlaskApp.class);
            Connection connection = spring.getBean(Connection.class);
            try (var outer = app.appContext().push()) {
                int outerId = connection.id();
                try (var inner = app.appContext().push()) {
                    assertThat(connection.id()).isNotEqualTo(outerId);
                }
                assertThat(log).contains("close " + (outerId + 1));
                assertThat(connection.id()).isEqualTo(outerId);
            }
        });
    }

    @Test
    void withoutAContextUseFailsSayingHowToPushOne() {
        runner.run(spring -> {
            Connection connection = spring.getBean(Connection.class);
            // Spring wraps it in its ScopeNotActiveException; ours, the cause, says how to fix it
            assertThatThrownBy(connection::id).hasMessageContaining("Scope 'appcontext' is not active")
                    .rootCause().isInstanceOf(OutsideContextException.class)
                    .hasMessageContaining("bean 'scopedTarget.connection' lives as long as an app context")
                    .hasMessageContaining("try (var ctx = app.appContext().push())");
        });
    }

    @Test
    void copiesSeeTheSameInstanceAndDestructionWaitsForThem() throws Exception {
        runner.run(spring -> {
            log.clear();
            FlaskApp app = spring.getBean(FlaskApp.class);
            Connection connection = spring.getBean(Connection.class);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> copyId;
            int id;
            try (var ctx = app.appContext().push()) {
                id = connection.id();
                copyId = CompletableFuture.supplyAsync(Flask.copyCurrentAppContext().wrapSupplier(() -> {
                    await(release);
                    return connection.id();
                }), pool);
            }
            assertThat(log).doesNotContain("close " + id);
            release.countDown();
            assertThat(copyId.get(5, TimeUnit.SECONDS)).isEqualTo(id);
            for (int i = 0; i < 100 && !log.contains("close " + id); i++) {
                Thread.sleep(10);
            }
            assertThat(log).containsOnlyOnce("close " + id);
            pool.shutdown();
        });
    }

    @Test
    void worksInACommandLineRunnerThatPushesByHand() {
        runner.withUserConfiguration(Job.class).run(spring -> {
            log.clear();
            spring.getBean(CommandLineRunner.class).run(); // as SpringApplication.run does at start-up
            assertThat(Job.result).startsWith("job used connection ");
            assertThat(log).contains("close " + Job.result.substring("job used connection ".length()));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Job {
        static volatile String result;

        @Bean
        CommandLineRunner job(FlaskApp app, Connection connection) {
            return args -> {
                try (var ctx = app.appContext().push()) {
                    result = "job used connection " + connection.id();
                }
            };
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
