package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Over a real Tomcat port: many parallel requests each see only their own g, and every server thread holds no
 * context after each request, checked by a filter outside flaskctx's own.
 */
@SpringBootTest(classes = RealPortTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=realport", "server.tomcat.threads.max=8"})
class RealPortTest {

    @LocalServerPort
    int port;

    @Autowired
    App.ThreadCheck threadCheck;

    @Autowired
    App.Teardowns teardowns;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void afterHooksSetHeadersOnAResponseBodyOverTheWire() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/echo?token=one"))
                .header("X-User", "alice").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("token=one user=alice app=realport");
        assertThat(response.headers().firstValue("X-Token")).hasValue("one");
    }

    @Test
    void parallelRequestsEachSeeOnlyTheirOwnGAndLeaveNoContextOnAnyThread() throws Exception {
        int requests = 400;
        int before = teardowns.count.get();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String token = "t" + i;
            answers.add(callers.submit(() -> {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/echo?token=" + token))
                        .header("X-User", "user-" + token).build(), HttpResponse.BodyHandlers.ofString());
                String expected = "token=" + token + " user=user-" + token + " app=realport";
                boolean ok = response.body().equals(expected)
                        && token.equals(response.headers().firstValue("X-Token").orElse(null));
                return ok ? null : token + " got " + response.body() + " / " + response.headers().map();
            }));
        }
        List<String> mismatches = new ArrayList<>();
        for (Future<String> answer : answers) {
            String problem = answer.get(60, TimeUnit.SECONDS);
            if (problem != null) {
                mismatches.add(problem);
            }
        }
        callers.shutdown();
        // the outer filter and the teardown finish just after the client has its response: give them a moment
        for (int i = 0; i < 200 && (threadCheck.checked.get() < requests
                || teardowns.count.get() - before < requests); i++) {
            Thread.sleep(10);
        }
        assertThat(mismatches).isEmpty();
        assertThat(threadCheck.dirty).as("threads that held a context outside flaskctx's filter").isEmpty();
        assertThat(threadCheck.checked.get()).isGreaterThanOrEqualTo(requests);
        assertThat(teardowns.count.get() - before).as("one app teardown per request").isEqualTo(requests);
    }

    @Test
    void anUnhandledErrorTearsDownWithTheExceptionOnceAndTheErrorPageRunsWithoutAContext() throws Exception {
        int before = teardowns.count.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/boom")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(500);
        for (int i = 0; i < 200 && teardowns.count.get() - before < 1; i++) {
            Thread.sleep(10);
        }
        assertThat(teardowns.count.get() - before).isEqualTo(1);
        assertThat(teardowns.lastError).hasValue("IllegalStateException: boom");
        assertThat(threadCheck.dirty).isEmpty();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Hooks.class, App.Echo.class, App.ThreadCheck.class, App.Teardowns.class})
    static class App {

        /** Outside every other filter: a thread must hold no context before or after a request. */
        @Bean
        FilterRegistrationBean<Filter> threadCheckFilter(ThreadCheck check) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                check.verify("before");
                try {
                    chain.doFilter(request, response);
                } finally {
                    check.verify("after");
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        static final class ThreadCheck {
            final Queue<String> dirty = new ConcurrentLinkedQueue<>();
            final AtomicInteger checked = new AtomicInteger();

            void verify(String when) {
                if (Flask.hasAppContext() || Flask.hasRequestContext()) {
                    dirty.add(Thread.currentThread().getName() + " " + when);
                }
                if ("after".equals(when)) {
                    checked.incrementAndGet();
                }
            }
        }

        static final class Teardowns {
            final AtomicInteger count = new AtomicInteger();
            final java.util.concurrent.atomic.AtomicReference<String> lastError =
                    new java.util.concurrent.atomic.AtomicReference<>();

            @TeardownAppContext
            void counted(Throwable error) {
                count.incrementAndGet();
                if (error != null) {
                    lastError.set(error.getClass().getSimpleName() + ": " + error.getMessage());
                }
            }
        }

        static final class Hooks {
            @BeforeRequest
            void loadUser(HttpServletRequest request, G g) {
                g.set("user", request.getHeader("X-User"));
                g.set("token", request.getParameter("token"));
            }

            @AfterRequest
            void stamp(HttpServletResponse response, G g) {
                response.setHeader("X-Token", (String) g.get("token"));
            }
        }

        @RestController
        static final class Echo {
            private final G g;

            Echo(G g) {
                this.g = g;
            }

            @GetMapping("/boom")
            String boom() {
                throw new IllegalStateException("boom");
            }

            @GetMapping("/echo")
            String echo(@RequestParam String token) throws InterruptedException {
                Thread.sleep(2); // let requests overlap on the few server threads
                return "token=" + g.get("token") + " user=" + g.get("user") + " app=" + Flask.currentApp().name();
            }
        }
    }
}
