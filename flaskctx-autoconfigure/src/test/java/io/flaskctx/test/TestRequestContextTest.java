package io.flaskctx.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CATALOGUE 4: test_request_context('/p/q?x=1&x=2', method='POST', data=..., base_url=...). */
class TestRequestContextTest {

    private final List<String> log = new ArrayList<>();

    private FlaskApp app() {
        FlaskApp app = new FlaskApp("trc");
        app.beforeRequest(request -> {
            log.add("before_request");
            return null;
        });
        app.teardownRequest(error -> log.add("teardown_request"));
        app.teardownAppContext(error -> log.add("teardown_appcontext"));
        return app;
    }

    @Test
    void givesFlaskRequestThePathMethodHeadersQueryAndBody() throws IOException {
        FlaskApp app = app();
        assertThat(Flask.hasRequestContext()).isFalse();
        try (var ctx = TestRequestContext.of(app, "/p/q?x=1&x=2").method("POST").header("X-User", "alice")
                .body("{\"f\":\"v\"}", "application/json").baseUrl("http://example.org/root").push()) {
            var request = Flask.request();
            assertThat(Flask.hasAppContext()).isTrue();
            assertThat(Flask.currentApp()).isSameAs(app);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getRequestURI()).isEqualTo("/root/p/q");
            assertThat(request.getContextPath()).isEqualTo("/root");
            assertThat(request.getRequestURL() + "?" + request.getQueryString())
                    .isEqualTo("http://example.org/root/p/q?x=1&x=2");
            assertThat(request.getParameterValues("x")).containsExactly("1", "2");
            assertThat(request.getHeader("X-User")).isEqualTo("alice");
            assertThat(request.getContentType()).startsWith("application/json");
            assertThat(new String(request.getInputStream().readAllBytes())).isEqualTo("{\"f\":\"v\"}");
            assertThat(ctx.toString())
                    .startsWith("<RequestContext 'http://example.org/root/p/q?x=1&x=2' [POST] of 'trc' #");
        }
        assertThat(Flask.hasRequestContext() || Flask.hasAppContext()).isFalse();
    }

    @Test
    void likeFlaskItRunsNoBeforeHooksButTearsDownOnPop() {
        FlaskApp app = app();
        try (var ctx = TestRequestContext.of(app, "/").push()) {
            assertThat(log).isEmpty();
            app.preprocessRequest(Flask.request());
            assertThat(log).containsExactly("before_request");
        }
        assertThat(log).containsExactly("before_request", "teardown_request", "teardown_appcontext");
    }

    @Test
    void formParametersAreAvailableLikeFlasksData() {
        try (var ctx = TestRequestContext.of(app(), "/form").method("POST").param("f", "v").push()) {
            assertThat(Flask.request().getParameter("f")).isEqualTo("v");
            assertThat(Flask.request().getParameter("x")).isNull();
        }
    }
}
