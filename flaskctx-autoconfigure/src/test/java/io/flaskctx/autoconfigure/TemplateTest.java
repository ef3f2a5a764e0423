package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates over a real port with the signed-cookie session (no HttpSession exists): what a Thymeleaf template
 * sees is what Flask 3.1.3's Jinja template saw in io/flaskctx/blueprint/blueprints.py (templates case), a flash
 * consumed while rendering is gone on the next request, after hooks run after the template, streams still stream.
 */
@SpringBootTest(classes = TemplateApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=templates", "flaskctx.config.SECRET_KEY=template-secret-key",
                "flaskctx.config.GREETING=hi"})
class TemplateTest {

    private static final Map<String, Object> FLASK = observed();

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> observed() {
        try (InputStream in = TemplateTest.class.getResourceAsStream("/io/flaskctx/blueprint/blueprints.out.json")) {
            Map<String, Object> all = JsonMapper.builder().build().readValue(in, Map.class);
            return (Map<String, Object>) ((Map<String, Object>) all.get("cases")).get("templates");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Without quotes: a Python list of strings has them, a Java list has not (tuples have them in both). */
    private static String unquoted(String html) {
        return html.replace("&#39;", "").replace("'", "");
    }

    /** The Jinja output, with the differences of names only (Flask has no current_app in templates). */
    private static String flaskRendered(String key) {
        String jinja = ((String) FLASK.get(key)).replace("&#39;", "'");
        return jinja.replace("'", "").replace("request.path=/show|current_app_defined=False", "request.path=/show"
                + "|current_app=templates").replace("blueprint=None", "blueprint=");
    }

    @Test
    void aTemplateSeesWhatAFlaskTemplateSeesAndTheFlashesOnce() throws Exception {
        get("/flash");
        HttpResponse<String> first = get("/show");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(unquoted(first.body())).contains(flaskRendered("first_render"));
        HttpResponse<String> second = get("/show");
        assertThat(unquoted(second.body())).contains(flaskRendered("second_render_flashes_consumed"));
    }

    @Test
    void aLaterContextProcessorWinsAndTheViewWinsOverAll() throws Exception {
        assertThat(FLASK.get("processor_order")).isEqualTo("shared=from second processor");
        assertThat(get("/show-processor").body()).contains("shared=from second processor");
        assertThat(get("/show").body()).contains("shared=from view");
    }

    @Test
    void aBlueprintsContextProcessorServesOnlyItsRequestsAfterTheAppsOnes() throws Exception {
        assertThat(get("/admin/processor").body()).contains("shared=from admin");
        assertThat(get("/show-processor").body()).contains("shared=from second processor");
    }

    @Test
    void theSessionSavedAfterRenderingNoLongerHoldsTheFlashesTheTemplateShowed() throws Exception {
        get("/flash");
        HttpResponse<String> page = get("/layout");
        assertThat(page.body()).contains("<li>message:plain</li>", "<li>warning:careful</li>", "user=alice");
        // the after hook ran after the template: it saw the body's length and that the flashes were taken
        assertThat(page.headers().firstValue("X-After-Saw-Length")).contains(
                String.valueOf(page.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(page.headers().firstValue("X-After-Saw-Flashes")).contains("false");
        // ${session.user} above read flaskctx's signed cookie: there is no HttpSession at all
        assertThat(page.headers().firstValue("X-Http-Session")).contains("false");
        assertThat(get("/peek").body()).isEqualTo("{\"flashes\":null}");
        assertThat(get("/layout").body()).doesNotContain("<li>");
    }

    @Test
    void aFilterThatKeepsTheBodyItselfStillGetsTheWholePage() throws Exception {
        get("/flash");
        HttpResponse<String> page = get("/etag/layout");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<li>error:bad</li>", "user=alice");
        assertThat(page.headers().firstValue("ETag")).isPresent();
        assertThat(page.headers().firstValue("Content-Length")).contains(
                String.valueOf(page.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(get("/peek").body()).isEqualTo("{\"flashes\":null}");
    }

    @Test
    void aViewOfAnExceptionHandlerSeesTheTemplateVariablesToo() throws Exception {
        get("/flash");
        HttpResponse<String> page = get("/broken");
        assertThat(page.body()).contains("reason=no stock|g.user=alice|session.user=alice|shared=from second processor"
                + "|flashes=[plain, careful, bad]");
    }

    @Test
    void aRedirectKeepsTheFlashesForThePageItLeadsTo() throws Exception {
        get("/flash");
        HttpResponse<String> redirected = get("/redirect");
        assertThat(redirected.statusCode()).isEqualTo(302);
        assertThat(redirected.headers().firstValue("Location").orElseThrow()).doesNotContain("?");
        assertThat(get("/layout").body()).contains("<li>error:bad</li>");
    }

    @Test
    void aStreamedBodyStillArrivesChunkByChunk() throws Exception {
        HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/chunks")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // the second chunk waits for this test: reading the first proves nothing buffered the stream
            assertThat(reader.readLine()).isEqualTo("first");
            TemplateApp.SECOND_CHUNK.countDown();
            assertThat(reader.readLine()).isEqualTo("second");
        }
    }
}
