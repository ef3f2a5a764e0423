package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.ContextStats;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The canary under load over a real port: every request puts a unique token in g from a before hook; the token
 * must come back after an {@code @Async} hop, a {@code Callable} hop and a {@code DeferredResult} completion (read
 * by the after hook in the async dispatch), with zero contexts left on any server or executor thread and
 * exactly one teardown per request.
 */
@SpringBootTest(classes = AsyncCanaryTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=canary", "server.tomcat.threads.max=16",
                "spring.task.execution.pool.core-size=8", "spring.task.execution.pool.queue-capacity=10000"})
class AsyncCanaryTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Checks checks;

    @Autowired
    FlaskApp app;

    @Autowired
    App.LateWork lateWork;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void hundredsOfAsyncRequestsKeepTheirOwnGAndTearDownOnceEach() throws Exception {
        runCanary(300);
    }

    void runCanary(int perStyle) throws Exception {
        int teardownsBefore = checks.teardowns.get();
        ExecutorService callers = Executors.newFixedThreadPool(24);
        List<Future<String>> answers = new ArrayList<>();
        for (String style : List.of("async", "callable", "deferred")) {
            for (int i = 0; i < perStyle; i++) {
                String token = style + "-" + i;
                answers.add(callers.submit(() -> check(style, token)));
            }
        }
        List<String> mismatches = new ArrayList<>();
        for (Future<String> answer : answers) {
            String problem = answer.get(60, TimeUnit.SECONDS);
            if (problem != null) {
                mismatches.add(problem);
            }
        }
        callers.shutdown();
        int requests = perStyle * 3;
        // The response may reach the caller a moment before its copies' last pop is counted: wait (bounded) for
        // both, so that what is asserted below is the state once the work ended, not a race with it.
        for (int i = 0; i < 200 && (checks.teardowns.get() - teardownsBefore < requests
                || ContextStats.copiesPending() != 0); i++) {
            Thread.sleep(10);
        }
        assertThat(mismatches).isEmpty();
        assertThat(checks.teardowns.get() - teardownsBefore).as("one teardown per request").isEqualTo(requests);
        assertThat(checks.teardownMismatches).isEmpty();
        assertThat(checks.dirty).as("threads holding contexts outside flaskctx").isEmpty();
        assertThat(app.isCountingContexts()).as("the meters count the app's copies").isTrue();
        assertThat(ContextStats.copiesPending()).isZero();
    }

    private String check(String style, String token) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/" + style + "?token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        String header = response.headers().firstValue("X-Token").orElse(null);
        if (response.statusCode() != 200 || !token.equals(response.body()) || !token.equals(header)) {
            return token + " -> " + response.statusCode() + " body=" + response.body() + " header=" + header;
        }
        return null;
    }

    @Test
    void aCopyFinishingAfterTheResponseWasSentHoldsTeardownUntilItEnds() throws Exception {
        int before = checks.teardowns.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/fire-and-forget?token=late")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("accepted");
        Thread.sleep(100);
        assertThat(checks.teardowns.get() - before).as("the @Async copy still runs").isZero();
        lateWork.release.countDown();
        for (int i = 0; i < 200 && checks.teardowns.get() == before; i++) {
            Thread.sleep(10);
        }
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.lastTeardownG).containsEntry("late", "written by the late task");
    }

    @Test
    void aTimedOutAsyncRequestTearsDownOnce() throws Exception {
        int before = checks.teardowns.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/never?token=timeout")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Token")).hasValue("timeout");
        for (int i = 0; i < 200 && checks.teardowns.get() == before; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void aFailingCallableTearsDownOnceWithItsException() throws Exception {
        int before = checks.teardowns.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/callable-fails?token=fails")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        for (int i = 0; i < 200 && checks.teardowns.get() == before; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.lastTeardownError).isEqualTo("IllegalStateException: callable failed for fails");
        assertThat(checks.dirty).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({App.Hooks.class, App.Views.class, App.AsyncWork.class, App.Checks.class, App.LateWork.class})
    static class App {

        static final class Checks {
            final Queue<String> dirty = new ConcurrentLinkedQueue<>();
            final Queue<String> teardownMismatches = new ConcurrentLinkedQueue<>();
            final AtomicInteger teardowns = new AtomicInteger();
            volatile Map<String, Object> lastTeardownG = Map.of();
            volatile String lastTeardownError;

            void verifyClean(String where) {
                if (Flask.hasAppContext() || Flask.hasRequestContext()) {
                    dirty.add(Thread.currentThread().getName() + " " + where);
                }
            }
        }

        static final class LateWork {
            final CountDownLatch release = new CountDownLatch(1);
        }

        /** Outside every other filter, on request and async dispatches. */
        @Bean
        FilterRegistrationBean<Filter> threadCheckFilter(Checks checks) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                checks.verifyClean("before " + ((HttpServletRequest) request).getDispatcherType());
                try {
                    chain.doFilter(request, response);
                } finally {
                    checks.verifyClean("after " + ((HttpServletRequest) request).getDispatcherType());
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            registration.setAsyncSupported(true);
            return registration;
        }

        /** Outside flaskctx's decorator: an executor thread must hold nothing before or after a task. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        TaskDecorator threadCheckDecorator(Checks checks) {
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
            void token(HttpServletRequest request, G g) {
                g.set("token", request.getParameter("token"));
            }

            @AfterRequest
            void stamp(HttpServletResponse response, G g) {
                response.setHeader("X-Token", (String) g.get("token"));
            }

            @TeardownRequest
            void requestEnded(HttpServletRequest request, G g) {
                if (!String.valueOf(g.get("token")).equals(request.getParameter("token"))) {
                    checks.teardownMismatches.add(request.getParameter("token") + " saw " + g.get("token"));
                }
            }

            @TeardownAppContext
            void appEnded(G g, Throwable error) {
                if (error != null) {
                    checks.lastTeardownError = error.getClass().getSimpleName() + ": " + error.getMessage();
                }
                checks.teardowns.incrementAndGet();
                Map<String, Object> seen = new ConcurrentHashMap<>();
                for (String name : g.names()) {
                    seen.put(name, g.get(name));
                }
                checks.lastTeardownG = seen;
            }
        }

        @Service
        static class AsyncWork {
            private final LateWork lateWork;

            AsyncWork(LateWork lateWork) {
                this.lateWork = lateWork;
            }

            @Async
            public CompletableFuture<String> tokenFromG() {
                return CompletableFuture.completedFuture((String) Flask.g().get("token"));
            }

            @Async
            public void late() throws InterruptedException {
                lateWork.release.await(10, TimeUnit.SECONDS);
                Flask.g().set("late", "written by the late task");
            }
        }

        @RestController
        static final class Views {
            private final AsyncWork work;
            private final ExecutorService completer = Executors.newFixedThreadPool(4);

            Views(AsyncWork work) {
                this.work = work;
            }

            @GetMapping("/async")
            CompletableFuture<String> async() {
                return work.tokenFromG();
            }

            @GetMapping("/callable")
            Callable<String> callable() {
                return () -> (String) Flask.g().get("token");
            }

            @GetMapping("/deferred")
            DeferredResult<String> deferred(@RequestParam String token) {
                DeferredResult<String> result = new DeferredResult<>(10_000L);
                // completed from a thread of our own that has no context: the result is the request's own token
                completer.execute(() -> result.setResult(token));
                return result;
            }

            @GetMapping("/never")
            DeferredResult<String> never() {
                return new DeferredResult<>(200L);
            }

            @GetMapping("/callable-fails")
            Callable<String> callableFails() {
                return () -> {
                    throw new IllegalStateException("callable failed for " + Flask.g().get("token"));
                };
            }

            @GetMapping("/fire-and-forget")
            String fireAndForget() throws InterruptedException {
                work.late();
                return "accepted";
            }
        }
    }
}
