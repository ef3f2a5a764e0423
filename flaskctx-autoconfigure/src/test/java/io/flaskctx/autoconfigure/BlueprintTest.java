package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import jakarta.servlet.ServletException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Blueprint hooks run in the order Flask 3.1.3 runs them, pinned against what io/flaskctx/blueprint/blueprints.py
 * observed (blueprints.out.json): every case compares the hooks that ran, in order, with Flask's list.
 */
@SpringBootTest(classes = BlueprintApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "flaskctx.app-name=blueprints")
@AutoConfigureMockMvc
class BlueprintTest {

    private static final Map<String, Map<String, Object>> FLASK = observed();

    @Autowired
    MockMvc mvc;

    @Autowired
    BlueprintApp.Events events;

    @Autowired
    FlaskApp app;

    @LocalServerPort
    int port;

    @BeforeEach
    void clearEvents() {
        events.drain();
    }

    @AfterEach
    void threadHoldsNoContext() {
        assertThat(Flask.hasRequestContext()).as("request context left on the thread").isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> observed() {
        try (InputStream in = BlueprintTest.class.getResourceAsStream("/io/flaskctx/blueprint/blueprints.out.json")) {
            Map<String, Object> all = JsonMapper.builder().build().readValue(in, Map.class);
            return (Map<String, Map<String, Object>>) all.get("cases");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> flaskEvents(String flaskCase) {
        return (List<String>) FLASK.get(flaskCase).get("events");
    }

    @SuppressWarnings("unchecked")
    private static Object flaskBody(String flaskCase, String key) {
        return ((Map<String, Object>) FLASK.get(flaskCase).get("body")).get(key);
    }

    @Test
    void aViewOfTheAppRunsTheAppHooksAndTheBlueprintsAppWideOnes() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(content().json("{\"blueprint\":null,\"blueprints\":[]}"));
        assertThat(events.drain()).isEqualTo(flaskEvents("app_view"));
    }

    @Test
    void aBlueprintViewRunsTheAppHooksFirstAndTheBlueprintsAfterAndTeardownFirst() throws Exception {
        mvc.perform(get("/admin/")).andExpect(status().isOk())
                .andExpect(content().json("{\"blueprint\":\"admin\",\"blueprints\":[\"admin\"]}"));
        assertThat(events.drain()).isEqualTo(flaskEvents("blueprint_view"));
    }

    @Test
    void aNestedBlueprintRunsOuterBeforeInnerAndInnerAfterFirst() throws Exception {
        mvc.perform(get("/admin/users/")).andExpect(status().isOk())
                .andExpect(content().json(
                        "{\"blueprint\":\"admin.users\",\"blueprints\":[\"admin.users\",\"admin\"]}"));
        assertThat(flaskBody("nested_view", "blueprint")).isEqualTo("admin.users");
        assertThat(flaskBody("nested_view", "blueprints")).isEqualTo(List.of("admin.users", "admin"));
        assertThat(events.drain()).isEqualTo(flaskEvents("nested_view"));
    }

    @Test
    void aBlueprintViewThatRaisesGivesEveryTeardownTheException() {
        assertThatThrownBy(() -> mvc.perform(get("/admin/fail"))).isInstanceOf(ServletException.class)
                .hasRootCauseInstanceOf(BlueprintApp.ValueError.class);
        assertThat(events.drain()).isEqualTo(flaskEvents("blueprint_view_raises"));
    }

    @Test
    void aPathNoHandlerTakesUnderTheBlueprintsPrefixRunsOnlyAppHooks() throws Exception {
        mvc.perform(get("/admin/nothing-here")).andExpect(status().isNotFound());
        assertThat(events.drain()).isEqualTo(flaskEvents("not_found_under_blueprint_prefix"));
    }

    @Test
    void aMethodNotAllowedRunsOnlyAppHooks() throws Exception {
        mvc.perform(get("/admin/post-only")).andExpect(status().isMethodNotAllowed());
        assertThat(events.drain()).isEqualTo(flaskEvents("method_not_allowed_blueprint_route"));
    }

    @Test
    void aBeforeHookOfTheAppAnsweringStillRunsTheBlueprintsAfterAndTeardownHooks() throws Exception {
        mvc.perform(get("/admin/users/").param("stop", "app.before_request1")).andExpect(status().isOk())
                .andExpect(content().string("short-circuit by app.before_request1"));
        assertThat(events.drain()).isEqualTo(flaskEvents("short_circuit_app_before"));
    }

    @Test
    void aBeforeHookOfTheOuterBlueprintAnsweringSkipsTheInnerOnesBeforeHooks() throws Exception {
        mvc.perform(get("/admin/users/").param("stop", "admin.before_request1")).andExpect(status().isOk())
                .andExpect(content().string("short-circuit by admin.before_request1"));
        assertThat(events.drain()).isEqualTo(flaskEvents("short_circuit_admin_before"));
    }

    @Test
    void anAppWideHookOfABlueprintAnsweringSkipsEveryBlueprintBeforeHook() throws Exception {
        mvc.perform(get("/admin/users/").param("stop", "admin.before_app_request")).andExpect(status().isOk());
        assertThat(events.drain()).isEqualTo(flaskEvents("short_circuit_before_app_request"));
    }

    @Test
    void aPackageAnnotationMakesEveryControllerOfThePackagePartOfTheBlueprint() throws Exception {
        mvc.perform(get("/reports")).andExpect(status().isOk()).andExpect(content().json("[\"reports\"]"));
        // its requests run the app's hooks only: the blueprint has none of its own
        assertThat(events.drain()).startsWith("app.before_request1", "app.before_request2",
                "admin.before_app_request");
    }

    @Test
    void overARealPortTheNestedOrderAndTheFailingViewHoldToo() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> nested = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/admin/users/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(nested.statusCode()).isEqualTo(200);
        assertThat(nested.body()).contains("\"admin.users\"");
        assertThat(events.drain()).isEqualTo(flaskEvents("nested_view"));
        HttpResponse<String> failing = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/admin/fail")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(failing.statusCode()).isEqualTo(500);
        assertThat(events.drain()).isEqualTo(flaskEvents("blueprint_view_raises"));
    }

    @Test
    void theActuatorViewOfHooksListsWhatARequestOfEachBlueprintRuns() {
        Map<String, List<String>> hooks = app.describeHooks();
        assertThat(app.blueprints()).containsExactlyInAnyOrder("admin", "admin.users", "reports");
        assertThat(hooks.get("before_request[admin.users]")).hasSize(7);
        assertThat(hooks.get("after_request[admin.users]").get(0)).endsWith("UsersController.after_request2");
    }
}
