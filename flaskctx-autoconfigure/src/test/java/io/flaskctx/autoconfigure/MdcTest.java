package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.observation.MdcValue;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code flaskctx.logging.mdc-keys} over a real port: g values are in the MDC from the moment they are set until
 * teardown, on the request thread and on the threads its work is copied to ({@code @Async}, a {@code Callable}),
 * an inner app context shows its own values and gives the outer ones back, and no server or executor thread
 * holds any of them before or after (checked outside flaskctx's filter and task decorator).
 */
@SpringBootTest(classes = MdcTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=shop", "flaskctx.logging.mdc-keys=user,tenant",
                "server.tomcat.threads.max=4", "spring.task.execution.pool.core-size=2",
                "spring.task.execution.pool.max-size=2"})
class MdcTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Checks checks;

    @Autowired
    TaskExecutor applicationTaskExecutor;

    private final HttpClient client = HttpClient.newHttpClient();

    private String get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (user != null) {
            request.header("X-User", user).header("X-Tenant", "acme");
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @Test
    void theGValuesAreInTheMdcFromTheMomentTheyAreSetUntilTeardown() throws Exception {
        // before the hook set them nothing (checked by the filter); in the view the MdcValue's text and toString()
        assertThat(get("/mdc", "alice")).isEqualTo("user=ALICE tenant=acme");
        // Teardown runs once the response is complete, as in Flask: the client may read it a moment before.
        for (int i = 0; i < 200 && checks.seenAtTeardown.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(checks.seenAtTeardown).contains("user=ALICE tenant=acme");
        assertThat(get("/mdc", null)).isEqualTo("user=null tenant=null");
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void aValueRemovedFromGLeavesTheMdcAndOneSetLaterEntersIt() throws Exception {
        assertThat(get("/change", "alice")).isEqualTo("popped=null set=ALICE2");
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void anInnerAppContextShowsItsOwnValuesAndGivesTheOuterOnesBack() throws Exception {
        assertThat(get("/nested", "alice")).isEqualTo("inner=JOB/null outer=ALICE/acme");
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void copiedWorkOnOtherThreadsLogsWithTheSameKeys() throws Exception {
        assertThat(get("/async", "bob")).startsWith("user=BOB tenant=acme on task-");
        assertThat(get("/callable", "carol")).startsWith("user=CAROL tenant=acme on task-");
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void nothingStaysInTheMdcOfAPooledThreadAfterManyParallelRequests() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String user = "u" + i;
            String path = i % 3 == 0 ? "/async" : i % 3 == 1 ? "/callable" : "/mdc";
            answers.add(callers.submit(() -> user + " " + get(path, user)));
        }
        for (Future<String> answer : answers) {
            String line = answer.get(30, TimeUnit.SECONDS);
            String user = line.substring(0, line.indexOf(' '));
            assertThat(line).contains("user=" + user.toUpperCase(java.util.Locale.ROOT) + " tenant=acme");
        }
        callers.shutdown();
        // every executor thread, asked outside any request: its MDC holds none of the keys
        List<CompletableFuture<String>> leftovers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            applicationTaskExecutor.execute(() -> seen.complete(MDC.get("user") + "/" + MDC.get("tenant")));
            leftovers.add(seen);
        }
        for (CompletableFuture<String> seen : leftovers) {
            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null/null");
        }
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void whatTheMdcHeldBeforeTheRequestIsThereAgainAfterIt() throws Exception {
        assertThat(get("/mdc?outer=1", "alice")).isEqualTo("user=ALICE tenant=acme");
        assertThat(checks.dirty).isEmpty();
    }

    record User(String name) {
        @Override
        public String toString() {
            return "User[" + name + "]"; // never logged: the MdcValue bean decides
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({App.Hooks.class, App.Views.class, App.Work.class, App.Checks.class})
    static class App {

        static final class Checks {
            final Queue<String> dirty = new ConcurrentLinkedQueue<>();
            final Queue<String> seenAtTeardown = new ConcurrentLinkedQueue<>();

            void verifyClean(String where) {
                if (MDC.get("user") != null || MDC.get("tenant") != null) {
                    dirty.add(Thread.currentThread().getName() + " " + where + ": " + MDC.getCopyOfContextMap());
                }
            }
        }

        @Bean
        MdcValue userInLogs() {
            return MdcValue.of("user", user -> ((User) user).name().toUpperCase(java.util.Locale.ROOT));
        }

        /** Outside every other filter: the server thread's MDC before and after each dispatch. */
        @Bean
        FilterRegistrationBean<Filter> mdcCheckFilter(Checks checks) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                boolean outer = request.getParameter("outer") != null;
                String where = ((HttpServletRequest) request).getDispatcherType() + " "
                        + ((HttpServletRequest) request).getRequestURI();
                checks.verifyClean("before " + where);
                if (outer) {
                    MDC.put("user", "outer-user");
                }
                try {
                    chain.doFilter(request, response);
                } finally {
                    if (outer) {
                        if (!"outer-user".equals(MDC.get("user"))) {
                            checks.dirty.add("the outer value was not restored: " + MDC.getCopyOfContextMap());
                        }
                        MDC.remove("user");
                    }
                    checks.verifyClean("after " + where);
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            registration.setAsyncSupported(true);
            return registration;
        }

        /** Outside flaskctx's decorator: an executor thread's MDC before and after each task. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        TaskDecorator mdcCheckDecorator(Checks checks) {
            return task -> () -> {
                checks.verifyClean("before task");
                try {
                    task.run();
                } finally {
                    checks.verifyClean("after task");
                }
            };
        }

        static final class Hooks {
            private final Checks checks;

            Hooks(Checks checks) {
                this.checks = checks;
            }

            @BeforeRequest
            void loadUser(HttpServletRequest request, G g) {
                String user = request.getHeader("X-User");
                if (user != null) {
                    g.set("user", new User(user));
                    g.set("tenant", request.getHeader("X-Tenant"));
                }
            }

            @io.flaskctx.TeardownAppContext
            void seen() {
                checks.seenAtTeardown.add(mdc());
            }
        }

        static String mdc() {
            return "user=" + MDC.get("user") + " tenant=" + MDC.get("tenant");
        }

        @Service
        static class Work {
            @Async
            public CompletableFuture<String> mdcOnAnotherThread() {
                return CompletableFuture.completedFuture(mdc() + " on " + Thread.currentThread().getName());
            }
        }

        @RestController
        static final class Views {
            private final Work work;
            private final FlaskApp app;

            Views(Work work, FlaskApp app) {
                this.work = work;
                this.app = app;
            }

            @GetMapping("/mdc")
            String mdcNow() {
                return mdc();
            }

            @GetMapping("/change")
            String change() {
                Flask.g().pop("user");
                String popped = MDC.get("user");
                Flask.g().set("user", new User("alice2"));
                return "popped=" + popped + " set=" + MDC.get("user");
            }

            @GetMapping("/nested")
            String nested() {
                String inner;
                try (var job = app.appContext().push()) {
                    job.g().set("user", new User("job"));
                    inner = MDC.get("user") + "/" + MDC.get("tenant");
                }
                return "inner=" + inner + " outer=" + MDC.get("user") + "/" + MDC.get("tenant");
            }

            @GetMapping("/async")
            CompletableFuture<String> async() {
                return work.mdcOnAnotherThread();
            }

            @GetMapping("/callable")
            Callable<String> callable() {
                return () -> mdc() + " on " + Thread.currentThread().getName();
            }
        }
    }
}
