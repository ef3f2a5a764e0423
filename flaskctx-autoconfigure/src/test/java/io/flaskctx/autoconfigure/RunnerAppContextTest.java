package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/** Runners run inside an app context, as every Flask CLI command does ({@code flask.cli.with_appcontext}). */
class RunnerAppContextTest {

    static final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void clean() {
        assertThat(Flask.hasAppContext()).as("context left on the main thread").isFalse();
        events.clear();
    }

    private static ConfigurableApplicationContext start(Class<?> app, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--flaskctx.app-name=cli";
        all[1] = "--spring.main.banner-mode=off";
        System.arraycopy(args, 0, all, 2, args.length);
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).run(all);
    }

    @Test
    void eachRunnerRunsInItsOwnFreshAppContextTornDownAfterIt() {
        try (var context = start(Runners.class, "x")) {
            assertThat(events).containsExactly(
                    "CommandLineRunner in cli, g empty", "teardown cli error=null g=[ran]",
                    "ApplicationRunner in cli, g empty, args [x]", "teardown cli error=null g=[ran]");
        }
    }

    @Test
    void aRunnerThatPushesAContextByHandNestsItInsideItsOwn() {
        try (var context = start(HandPushing.class)) {
            assertThat(events).containsExactly("inner g holds [job], outer g holds [outer]",
                    "teardown cli error=null g=[job]", "teardown cli error=null g=[outer]");
        }
    }

    @Test
    void aRunnerThatThrowsPassesItsExceptionToTeardownAndStopsStartUp() {
        assertThatThrownBy(() -> start(Failing.class).close()).satisfies(failure -> assertThat(
                org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure)).hasMessage("cannot migrate"));
        assertThat(events).containsExactly("teardown cli error=cannot migrate g=[]");
    }

    @Test
    void aRunnerGetsItsOwnAppContextScopedBeanClosedWhenItEnds() {
        try (var context = start(ScopedRunner.class)) {
            assertThat(events).containsExactly("runner used connection 1", "connection 1 closed");
        }
    }

    @Test
    void theSwitchLeavesRunnersWithoutAContext() {
        try (var context = start(Runners.class, "--flaskctx.runners.app-context=false")) {
            assertThat(events).containsExactly("CommandLineRunner without an app context",
                    "ApplicationRunner without an app context");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Teardowns.class)
    static class Runners {
        @Bean
        @Order(1)
        CommandLineRunnerJob commandLineRunnerJob() {
            return new CommandLineRunnerJob();
        }

        @Bean
        @Order(2)
        ApplicationRunner applicationRunner() {
            return args -> {
                if (!Flask.hasAppContext()) {
                    events.add("ApplicationRunner without an app context");
                    return;
                }
                events.add("ApplicationRunner in " + Flask.currentApp().name() + ", g "
                        + (Flask.g().names().isEmpty() ? "empty" : Flask.g().names()) + ", args "
                        + args.getNonOptionArgs());
                Flask.g().set("ran", true);
            };
        }
    }

    static class CommandLineRunnerJob implements CommandLineRunner {
        @Override
        public void run(String... args) {
            if (!Flask.hasAppContext()) {
                events.add("CommandLineRunner without an app context");
                return;
            }
            events.add("CommandLineRunner in " + Flask.currentApp().name() + ", g "
                    + (Flask.g().names().isEmpty() ? "empty" : Flask.g().names()));
            Flask.g().set("ran", true);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Teardowns.class)
    static class HandPushing {
        @Bean
        CommandLineRunner job(FlaskApp app) {
            return args -> {
                Flask.g().set("outer", true);
                try (var ctx = app.appContext().push()) {
                    ctx.g().set("job", true);
                    events.add("inner g holds " + Flask.g().names() + ", outer g holds [outer]");
                }
            };
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Teardowns.class)
    static class Failing {
        @Bean
        CommandLineRunner migrate() {
            return args -> {
                throw new IllegalStateException("cannot migrate");
            };
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ScopedRunner {
        @Bean
        @io.flaskctx.scope.AppContextScope
        RunnerConnection connection() {
            return new RunnerConnection();
        }

        @Bean
        CommandLineRunner useConnection(RunnerConnection connection) {
            return args -> events.add("runner used connection " + connection.id());
        }
    }

    static class RunnerConnection implements AutoCloseable {
        private static final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        private final int id = ids.incrementAndGet();

        int id() {
            return id;
        }

        @Override
        public void close() {
            events.add("connection " + id + " closed");
        }
    }

    static class Teardowns {
        @TeardownAppContext
        void teardown(Throwable error, FlaskApp app, G g) {
            events.add("teardown " + app.name() + " error=" + (error == null ? null : error.getMessage()) + " g="
                    + g.names());
        }
    }
}
