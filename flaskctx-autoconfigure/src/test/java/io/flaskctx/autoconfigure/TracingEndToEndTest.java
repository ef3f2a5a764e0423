package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * End to end with Micrometer Tracing's OpenTelemetry bridge, as Boot wires it: over a real port, every hook
 * invocation is a span that is a child of the request's {@code http.server.requests} span, on the trace the
 * caller started ({@code traceparent}), also the hook that throws, whose span ends with status error. Nothing
 * ties the two together but the registry's current observation: Spring's {@code ServerHttpObservationFilter}
 * runs before flaskctx's filter.
 */
@SpringBootTest(classes = TracingEndToEndTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=shop", "management.tracing.sampling.probability=1.0",
                "management.opentelemetry.tracing.export.schedule-delay=20ms"})
class TracingEndToEndTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @LocalServerPort
    int port;

    @Autowired
    InMemorySpanExporter spans;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void forgetEarlierSpans() {
        spans.reset();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The batch processor exports shortly after the spans end; the teardown hooks end after the response. */
    private List<SpanData> awaitSpans(int hooks) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            List<SpanData> all = spans.getFinishedSpanItems();
            if (all.stream().filter(s -> s.getName().startsWith("teardown_request")).count() >= 1
                    && all.stream().filter(s -> s.getKind() == SpanKind.SERVER).count() >= 1
                    && all.stream().filter(TracingEndToEndTest::isHook).count() >= hooks) {
                return all;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("spans not exported: " + spans.getFinishedSpanItems());
    }

    private static boolean isHook(SpanData span) {
        return span.getAttributes().asMap().keySet().stream().anyMatch(k -> k.getKey().equals("hook"));
    }

    private static SpanData server(List<SpanData> all) {
        return all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    }

    @Test
    void eachHookIsASpanUnderTheRequestsSpanOnTheCallersTrace() throws Exception {
        HttpResponse<String> response = get("/orders");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("orders for alice");

        List<SpanData> all = awaitSpans(4);
        SpanData server = server(all);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        List<SpanData> hooks = all.stream().filter(TracingEndToEndTest::isHook).toList();
        assertThat(hooks).extracting(SpanData::getName).containsExactlyInAnyOrder(
                "before_request " + App.Hooks.class.getName() + ".loadUser",
                "after_request " + App.Hooks.class.getName() + ".stamp",
                "teardown_request " + App.Hooks.class.getName() + ".release",
                "teardown_appcontext " + App.Hooks.class.getName() + ".close");
        assertThat(hooks).allSatisfy(hook -> {
            assertThat(hook.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(hook.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(hook.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
            assertThat(hook.getAttributes().asMap().toString()).contains("app=shop").contains("outcome=success");
        });
    }

    @Test
    void aHookThatThrowsIsAnErrorSpanUnderTheRequestsSpan() throws Exception {
        HttpResponse<String> response = get("/orders?fail=true");
        assertThat(response.statusCode()).isEqualTo(500);

        List<SpanData> all = awaitSpans(2);
        SpanData server = server(all);
        SpanData failed = all.stream().filter(s -> s.getName().startsWith("before_request")).findFirst()
                .orElseThrow();
        assertThat(failed.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(failed.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().asMap().toString()).contains("outcome=error");
        assertThat(failed.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
        // the teardown still ran, and is traced under the same request
        SpanData teardown = all.stream().filter(s -> s.getName().startsWith("teardown_request")).findFirst()
                .orElseThrow();
        assertThat(teardown.getParentSpanId()).isEqualTo(server.getSpanId());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Hooks.class, App.Views.class})
    static class App {

        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }

        static final class Hooks {
            @BeforeRequest
            void loadUser(HttpServletRequest request, G g) {
                if (request.getParameter("fail") != null) {
                    throw new IllegalStateException("user store down");
                }
                g.set("user", "alice");
            }

            @AfterRequest
            void stamp(HttpServletResponse response) {
                response.setHeader("X-App", "shop");
            }

            @TeardownRequest
            void release() {
            }

            @TeardownAppContext
            void close() {
            }
        }

        @RestController
        static final class Views {
            private final G g;

            Views(G g) {
                this.g = g;
            }

            @GetMapping("/orders")
            String orders() {
                return "orders for " + g.get("user");
            }
        }
    }
}
