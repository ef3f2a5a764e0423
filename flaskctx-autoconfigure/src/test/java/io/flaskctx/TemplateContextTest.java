package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Flask's update_template_context without a view engine: what a template gets, and what it costs the response. */
class TemplateContextTest {

    private final FlaskApp app = new FlaskApp("templates");

    TemplateContextTest() {
        app.config().put("SECRET_KEY", "template-context-test-key");
    }

    @Test
    void aTemplateThatNeverReadsTheSessionLeavesItUnaccessedSoTheResponseGetsNoVaryCookie() {
        try (RequestContext ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            Map<String, Object> model = new HashMap<>();

            app.updateTemplateContext(model);

            assertThat(model).containsKeys("g", "request", "session", "config", "current_app");
            assertThat(varyAfterSave(ctx)).isNull();
        }
    }

    @Test
    void aTemplateThatReadsTheSessionMarksItAccessedAsFlasksDoes() {
        try (RequestContext ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            Map<String, Object> model = new HashMap<>();
            app.updateTemplateContext(model);

            Object user = ((Session) model.get("session")).get("user");

            assertThat(user).isNull();
            assertThat(varyAfterSave(ctx)).isEqualTo("Cookie");
        }
    }

    @Test
    void theViewsOwnVariablesWinOverFlasksAndTheProcessors() {
        app.contextProcessor(() -> Map.of("shared", "processor", "extra", 1));
        try (RequestContext ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            Map<String, Object> model = new HashMap<>(Map.of("shared", "view", "config", "view's config"));

            app.updateTemplateContext(model);

            assertThat(model).containsEntry("shared", "view").containsEntry("config", "view's config")
                    .containsEntry("extra", 1).containsEntry("current_app", app);
        }
    }

    /** The Vary header the session save gives the response: "Cookie" exactly when the session was accessed. */
    private static String varyAfterSave(RequestContext ctx) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        ctx.saveSession(response);
        return response.getHeader("Vary");
    }
}
