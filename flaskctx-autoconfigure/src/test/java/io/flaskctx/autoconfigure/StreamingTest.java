package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.ContextStats;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Streaming with context (Flask's stream_with_context, without its double teardown): the code writing the stream
 * sees the request's g, app and request, and teardown runs once, when the stream ends, also when the client
 * goes away in the middle.
 */
@SpringBootTest(classes = StreamingTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "flaskctx.app-name=streaming")
class StreamingTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Checks checks;

    @Autowired
    FlaskApp app;

    private final HttpClient client = HttpClient.newHttpClient();

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private void awaitTeardowns(int before, int expected) throws InterruptedException {
        for (int i = 0; i < 300 && checks.teardowns.get() - before < expected; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
    }

    @Test
    void aStreamingResponseBodyWritesWithTheRequestsContextsAndTearsDownOnce() throws Exception {
        int before = checks.teardowns.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/stream?token=s1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body().lines()).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("token=s1 path=/stream app=streaming")
                        .doesNotContain("http-nio"));
        assertThat(response.headers().firstValue("X-Token")).as("after hooks ran before the first byte")
                .hasValue("s1");
        awaitTeardowns(before, 1);
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void anSseEmitterFedFromTheTaskExecutorSeesGAndTearsDownOnce() throws Exception {
        int before = checks.teardowns.get();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/sse?token=e1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("data:event 0 token=e1", "data:event 1 token=e1",
                "data:event 2 token=e1");
        awaitTeardowns(before, 1);
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.dirty).isEmpty();
    }

    @Test
    void aClientLeavingMidStreamStillGetsExactlyOneTeardown() throws Exception {
        int before = checks.teardowns.get();
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /slow?token=gone HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("chunk 0 token=gone")) {
                int b = in.read();
                assertThat(b).as("the stream ended before its first chunk").isNotNegative();
                seen.append((char) b);
            }
            socket.setSoLinger(true, 0); // hang up hard, mid-stream
        }
        awaitTeardowns(before, 1);
        for (int i = 0; i < 300 && ContextStats.copiesPending() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(checks.teardowns.get() - before).isEqualTo(1);
        assertThat(checks.slowStopped.get()).as("the writer saw the client go").isPositive();
        assertThat(app.isCountingContexts()).as("the meters count the app's copies").isTrue();
        assertThat(ContextStats.copiesPending()).isZero();
        assertThat(checks.dirty).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Hooks.class, App.Views.class, App.Checks.class})
    static class App {

        static final class Checks {
            final AtomicInteger teardowns = new AtomicInteger();
            final AtomicInteger slowStopped = new AtomicInteger();
            final Queue<String> dirty = new ConcurrentLinkedQueue<>();
        }

        @Bean
        FilterRegistrationBean<Filter> threadCheckFilter(Checks checks) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                try {
                    chain.doFilter(request, response);
                } finally {
                    if (Flask.hasAppContext() || Flask.hasRequestContext()) {
                        checks.dirty.add(Thread.currentThread().getName());
                    }
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
            registration.setAsyncSupported(true);
            return registration;
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

            @TeardownAppContext
            void counted() {
                checks.teardowns.incrementAndGet();
            }
        }

        @RestController
        static final class Views {
            private final Executor executor;
            private final Checks checks;

            Views(@Qualifier("applicationTaskExecutor") Executor executor, Checks checks) {
                this.executor = executor;
                this.checks = checks;
            }

            private static final String PADDING = "x".repeat(4096);

            private static String line(String prefix) {
                return prefix + " token=" + Flask.g().get("token") + " path=" + Flask.request().getRequestURI()
                        + " app=" + Flask.currentApp().name() + " on " + Thread.currentThread().getName() + "\n";
            }

            @GetMapping("/stream")
            StreamingResponseBody stream() {
                return out -> {
                    for (int i = 0; i < 3; i++) {
                        out.write(line("chunk " + i).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                };
            }

            @GetMapping("/sse")
            SseEmitter sse() {
                SseEmitter emitter = new SseEmitter(10_000L);
                executor.execute(() -> {
                    try {
                        for (int i = 0; i < 3; i++) {
                            emitter.send("event " + i + " token=" + Flask.g().get("token"));
                        }
                        emitter.complete();
                    } catch (Exception e) {
                        emitter.completeWithError(e);
                    }
                });
                return emitter;
            }

            @GetMapping("/slow")
            StreamingResponseBody slow() {
                return out -> {
                    try {
                        for (int i = 0; i < 200; i++) {
                            // 4 KB a chunk: Spring's stream does not flush, so only a full buffer reaches
                            // the socket, and only a write to the socket notices the client is gone
                            out.write(("chunk " + i + " token=" + Flask.g().get("token") + " " + PADDING + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(25);
                        }
                    } catch (java.io.IOException gone) {
                        checks.slowStopped.incrementAndGet();
                        throw gone;
                    } catch (InterruptedException cancelled) {
                        // Spring cancels the task when the async request fails
                        checks.slowStopped.incrementAndGet();
                        Thread.currentThread().interrupt();
                    }
                };
            }
        }
    }
}
