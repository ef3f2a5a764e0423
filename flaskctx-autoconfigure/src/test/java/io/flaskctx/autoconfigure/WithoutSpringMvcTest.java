package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.CurrentApp;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.WithAppContext;
import io.flaskctx.propagation.CopyContextTaskDecorator;
import io.flaskctx.scope.AppContextScope;
import io.flaskctx.web.FlaskRequestFilter;
import io.flaskctx.web.RequestContextInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Applications without Spring MVC (a batch job, a worker; a WebFlux app): the servlet API and Spring's web
 * classes hidden, the app-context side works and the request side is simply absent. The real applications are in
 * {@code smoke-tests/}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WithoutSpringMvcTest {

    private static final AutoConfigurations ALL = AutoConfigurations.of(FlaskAutoConfiguration.class,
            FlaskWebMvcAutoConfiguration.class, FlaskSessionAutoConfiguration.class,
            FlaskObservabilityAutoConfiguration.class, TaskExecutionAutoConfiguration.class);

    private final ApplicationContextRunner noWeb = new ApplicationContextRunner()
            .withClassLoader(new FilteredClassLoader("jakarta.servlet.", "org.springframework.web."))
            .withConfiguration(ALL).withUserConfiguration(Job.class)
            .withPropertyValues("flaskctx.app-name=batch", "flaskctx.config.REGION=eu");

    @Test
    void appContextsWorkAndTheRequestSideIsAbsent() {
        noWeb.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(CurrentApp.class).hasSingleBean(G.class)
                    .hasSingleBean(CopyContextTaskDecorator.class).doesNotHaveBean(FlaskRequestFilter.class)
                    .doesNotHaveBean(RequestContextInterceptor.class);
            Job job = context.getBean(Job.class);
            Service service = context.getBean(Service.class);
            String first = service.run("alice");
            assertThat(first).startsWith("batch eu alice connection=").endsWith(" async=alice");
            // The task's result reaches the caller a moment before its copy pops on the executor's thread; when the
            // caller's app context ends first, the teardown runs there, right after that pop: wait for it (bounded).
            for (int i = 0; i < 500 && job.journal.size() < 2; i++) {
                Thread.sleep(10);
            }
            assertThat(job.journal).containsExactlyInAnyOrder(
                    "closed " + first.split("connection=")[1].split(" ")[0], "teardown batch g=alice");
            String second = service.run("bob");
            assertThat(second.split("connection=")[1].split(" ")[0])
                    .as("a new app context, a new @AppContextScope bean")
                    .isNotEqualTo(first.split("connection=")[1].split(" ")[0]);
            assertThat(Flask.hasAppContext()).isFalse();
        });
    }

    @Test
    void aNonWebApplicationIsNotToldAboutWebFlux(CapturedOutput output) {
        noWeb.run(context -> assertThat(context).hasNotFailed());
        assertThat(output).doesNotContain(ReactiveNotice.MESSAGE);
    }

    @Test
    void aWebFluxApplicationStartsAndIsToldOnceThatRequestContextsAreSpringMvcOnly(CapturedOutput output) {
        new ReactiveWebApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader("jakarta.servlet.", "org.springframework.web.servlet."))
                .withConfiguration(ALL).withUserConfiguration(Job.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(FlaskApp.class)
                            .doesNotHaveBean(FlaskRequestFilter.class);
                    assertThat(context.getBean(Service.class).run("carol")).contains(" carol ");
                });
        assertThat(output.getOut().lines().filter(line -> line.contains(ReactiveNotice.MESSAGE)))
                .singleElement().asString().contains("INFO");
    }

    /** A job with an app-context-scoped resource, a teardown hook and work handed to Boot's executor. */
    @Configuration(proxyBeanMethods = false)
    static class Job {
        final List<String> journal = new CopyOnWriteArrayList<>();

        @Bean
        @AppContextScope
        Resource resource() {
            return new Resource(journal);
        }

        @Bean
        Service service(Resource resource, AsyncTaskExecutor executor) {
            return new Service(resource, executor);
        }

        @TeardownAppContext
        void teardown(FlaskApp app) {
            journal.add("teardown " + app.name() + " g=" + Flask.g().get("user"));
        }

    }

    /** Public: proxied by CGLIB, whose subclass lives in the runner's (filtered) class loader. */
    public static class Resource implements AutoCloseable {
        private final List<String> journal;

        public Resource(List<String> journal) {
            this.journal = journal;
        }

        public String id() {
            return Integer.toHexString(System.identityHashCode(this));
        }

        @Override
        public void close() {
            journal.add("closed " + id());
        }
    }

    /** Public, as {@link Resource}. */
    public static class Service {
        private final Resource resource;
        private final AsyncTaskExecutor executor;

        public Service(Resource resource, AsyncTaskExecutor executor) {
            this.resource = resource;
            this.executor = executor;
        }

        @WithAppContext
        public String run(String user) throws Exception {
            Flask.g().set("user", user);
            Future<Object> async = executor.submit(() -> Flask.g().get("user"));
            return Flask.currentApp().name() + " " + Flask.currentApp().config().get("REGION") + " " + user
                    + " connection=" + resource.id() + " async=" + async.get(5, TimeUnit.SECONDS);
        }
    }
}
