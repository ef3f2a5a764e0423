package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Flask;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The request lifecycle over a real port against what Flask 3.1.3 does (test resource
 * io/flaskctx/web/flask_lifecycle.py and its .out.json): requests no route takes still run every hook, an after
 * hook that throws makes a clean 500, and an unhandled exception's 500 still carries the session.
 */
@SpringBootTest(classes = FlaskParityApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.web.resources.add-mappings=false",
                "flaskctx.config.SECRET_KEY=observe-secret-key-0123456789"})
class FlaskParityTest {

    private static final List<String> EVERY_HOOK_BUT_THE_VIEW = List.of("before_request1", "before_request2",
            "after_request2", "after_request1", "teardown_request(null)");

    @LocalServerPort
    int port;

    @Autowired
    FlaskParityApp.Events events;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    @AfterEach
    void clear() {
        events.clear();
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void aMethodTheRouteDoesNotTakeRunsEveryHookAndAnswers405() throws Exception {
        // method_not_allowed: before1, before2, after2, after1, teardown(None); 405 with Allow
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow").orElse("")).contains("GET");
        assertThat(response.headers().firstValue("X-After-1")).hasValue("yes");
        assertThat(events.awaitTeardown()).containsExactlyElementsOf(EVERY_HOOK_BUT_THE_VIEW);
    }

    @Test
    void anUnknownPathRunsEveryHookAndAnswers404() throws Exception {
        // not_found, with spring.web.resources.add-mappings=false so that no resource handler claims the path
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/no/such/path")));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("X-After-2")).hasValue("yes");
        assertThat(events.awaitTeardown()).containsExactlyElementsOf(EVERY_HOOK_BUT_THE_VIEW);
    }

    @Test
    void aContentTypeNoRouteConsumesRunsEveryHookAndAnswers415() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/json")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(events.awaitTeardown()).containsExactlyElementsOf(EVERY_HOOK_BUT_THE_VIEW);
    }

    @Test
    void anAcceptNoRouteProducesRunsEveryHookAndAnswers406() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/produces-json")).header("Accept", "text/csv"));
        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(events.awaitTeardown()).containsExactlyElementsOf(EVERY_HOOK_BUT_THE_VIEW);
    }

    @Test
    void aBeforeHookAnswerWinsOverTheRoutingFailure() throws Exception {
        // before_hook_short_circuit_on_405: 200 'short', before2 and the view skipped, after hooks run
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/")).header("X-Short", "1")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("short");
        assertThat(response.headers().firstValue("Allow")).isEmpty();
        assertThat(events.awaitTeardown()).containsExactly("before_request1", "after_request2", "after_request1",
                "teardown_request(null)");
    }

    @Test
    void aBeforeHookFailureOnARequestNoRouteTakesGoesToTheErrorHandlers() throws Exception {
        // CATALOGUE 3: a before_request exception with a handler → errorhandler, after hooks, teardown(None)
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/")).header("X-Fail-Before", "1")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("before handled");
        assertThat(events.awaitTeardown()).containsExactly("before_request1", "errorhandler(BeforeHookFailure)",
                "after_request2", "after_request1", "teardown_request(null)");
    }

    @Test
    void anAfterHookFailureAnswers500WithoutTheErrorHandlersOrTheRemainingAfterHooks() throws Exception {
        // after_hook_raises: 500, after_request1 never runs, errorhandler(LookupError) not consulted, teardown gets it
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/?failAfter=1")));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("handl").doesNotContain("index");
        assertThat(response.headers().firstValue("X-After-1")).isEmpty();
        assertThat(events.awaitTeardown()).containsExactly("before_request1", "before_request2", "view",
                "after_request2", "teardown_request(AfterHookFailure)");
    }

    @Test
    void anAfterHookFailureOnARoutingFailureAnswers500Too() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/no/such/path?failAfter=1")));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(events.awaitTeardown()).containsExactly("before_request1", "before_request2", "after_request2",
                "teardown_request(AfterHookFailure)");
    }

    @Test
    void aSessionChangedBeforeAnUnhandledExceptionIsSavedOnThe500() throws Exception {
        // session_then_unhandled: 500 with Set-Cookie session=eyJ1c2VyIjoiYWxpY2UifQ.… and Vary: Cookie
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/session-then-raise")));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Set-Cookie").orElse(""))
                .startsWith("session=eyJ1c2VyIjoiYWxpY2UifQ.").contains("HttpOnly").contains("Path=/");
        assertThat(response.headers().allValues("Vary")).containsExactly("Cookie");
        assertThat(response.headers().firstValue("X-After-1")).hasValue("yes");
        assertThat(events.awaitTeardown()).containsExactly("before_request1", "before_request2", "view",
                "after_request2", "after_request1", "teardown_request(IllegalStateException)");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
