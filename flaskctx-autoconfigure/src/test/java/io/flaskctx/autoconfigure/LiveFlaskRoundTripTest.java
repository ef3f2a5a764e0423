package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Flask;
import io.flaskctx.Markup;
import io.flaskctx.Tuple;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The interop promise, live: a real Flask 3.1 app (python3, started on a loopback port) and this
 * Spring app share a SECRET_KEY and each reads the session the other wrote, with unicode, nested, tuple,
 * bytes, datetime, UUID, Markup, big-integer and flashed values. Skipped, saying why, where python3 with
 * Flask is not installed.
 */
@SpringBootTest(classes = LiveFlaskRoundTripTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=live", "flaskctx.config.SECRET_KEY=" + LiveFlaskRoundTripTest.SECRET_KEY,
                "server.address=127.0.0.1"})
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveFlaskRoundTripTest {

    static final String SECRET_KEY = "shared-between-flask-and-spring";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static Process flask;
    private static int flaskPort;

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startFlask() throws Exception {
        Assumptions.assumeTrue(flaskInstalled(), "python3 with Flask 3.x is not installed here, so the live round"
                + " trip with a Flask app is skipped (install it with: pip install 'flask>=3.1,<3.2')");
        Path script = Path.of(LiveFlaskRoundTripTest.class.getResource("live_flask_app.py").toURI());
        flask = new ProcessBuilder("python3", script.toString(), SECRET_KEY)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(flask.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        Assumptions.assumeTrue(line != null && line.matches("\\d+"), "the Flask app did not start: " + line);
        flaskPort = Integer.parseInt(line);
    }

    private static boolean flaskInstalled() {
        try {
            Process check = new ProcessBuilder("python3", "-c",
                    "import flask, importlib.metadata as m; assert m.version('flask').startswith('3.')")
                    .redirectErrorStream(true).start();
            if (!check.waitFor(20, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return false;
            }
            return check.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @AfterAll
    static void stopFlask() throws InterruptedException {
        if (flask != null) {
            flask.destroy();
            if (!flask.waitFor(5, TimeUnit.SECONDS)) {
                flask.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> get(int at, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(at, path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(int at, String path) throws URISyntaxException {
        return new URI("http://127.0.0.1:" + at + path);
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith("session="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()))
                .split(";", 2)[0];
    }

    @Test
    @SuppressWarnings("unchecked")
    void springReadsTheSessionFlaskWrote() throws Exception {
        String cookie = sessionCookie(get(flaskPort, "/set", null));

        Map<String, String> seen = JsonMapper.builder().build().readValue(get(port, "/live/read", cookie).body(), Map.class);

        assertThat(seen).containsEntry("name", "String Zo\u00eb \ud83d\ude00 \u2603")
                .containsEntry("nested", "LinkedHashMap {list=[1, 2.5, null, true], map={k=v}}")
                .containsEntry("tuple", "Tuple (1, 'two', (3,))")
                .containsEntry("bytes", "byte[] 00ff62696e")
                .containsEntry("when", "Instant 2024-01-02T03:04:05Z")
                .containsEntry("id", "UUID 12345678-1234-5678-1234-567812345678")
                .containsEntry("html", "Markup <b>bold</b>")
                .containsEntry("big", "BigInteger 1180591620717411303424")
                .containsEntry("_flashes", "[('message', 'Saved!'), ('error', 'Bad input \u2639')]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void flaskReadsTheSessionSpringWrote() throws Exception {
        String cookie = sessionCookie(get(port, "/live/set", null));

        Map<String, Object> seen = JsonMapper.builder().build().readValue(get(flaskPort, "/read", cookie).body(), Map.class);

        assertThat(seen).containsEntry("name", "str 'Zo\u00eb \ud83d\ude00 \u2603'")
                .containsEntry("nested", "dict {'list': [1, 2.5, None, True], 'map': {'k': 'v'}}")
                .containsEntry("tuple", "tuple (1, 'two', (3,))")
                .containsEntry("bytes", "bytes b'\\x00\\xffbin'")
                .containsEntry("when", "datetime datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)")
                .containsEntry("id", "UUID UUID('12345678-1234-5678-1234-567812345678')")
                .containsEntry("html", "Markup Markup('<b>bold</b>')")
                .containsEntry("big", "int 1180591620717411303424")
                .containsEntry("_flashes", List.of(List.of("message", "Saved!"), List.of("error", "Bad input \u2639")));
    }

    @Test
    void aLoginStartedOnOneSideIsKeptOnTheOther() throws Exception {
        // Spring -> Flask -> Spring: Flask takes the flashes Spring left and re-signs; Spring reads the rest back
        String fromSpring = sessionCookie(get(port, "/live/set", null));
        HttpResponse<String> flaskRead = get(flaskPort, "/read", fromSpring);
        String fromFlask = sessionCookie(flaskRead);

        Map<String, String> seen = new TreeMap<>();
        @SuppressWarnings("unchecked")
        Map<String, String> read = JsonMapper.builder().build().readValue(get(port, "/live/read", fromFlask).body(), Map.class);
        seen.putAll(read);

        assertThat(seen).containsEntry("name", "String Zo\u00eb \ud83d\ude00 \u2603").containsEntry("_flashes", "[]");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(App.Views.class)
    static class App {

        @RestController
        static class Views {

            @GetMapping("/live/set")
            String set() {
                var session = Flask.session();
                session.put("name", "Zo\u00eb \ud83d\ude00 \u2603");
                Map<String, Object> nested = new LinkedHashMap<>();
                List<Object> list = new ArrayList<>();
                list.add(1);
                list.add(2.5);
                list.add(null);
                list.add(true);
                nested.put("list", list);
                nested.put("map", Map.of("k", "v"));
                session.put("nested", nested);
                session.put("tuple", Tuple.of(1, "two", Tuple.of(3)));
                session.put("bytes", new byte[] {0, (byte) 0xff, 'b', 'i', 'n'});
                session.put("when", Instant.parse("2024-01-02T03:04:05Z"));
                session.put("id", UUID.fromString("12345678-1234-5678-1234-567812345678"));
                session.put("html", Markup.of("<b>bold</b>"));
                session.put("big", BigInteger.TWO.pow(70));
                Flask.flash("Saved!");
                Flask.flash("Bad input \u2639", "error");
                return "set";
            }

            @GetMapping("/live/read")
            Map<String, String> read() {
                Map<String, String> described = new TreeMap<>();
                Flask.session().forEach((key, value) -> {
                    if (!key.equals("_flashes")) {
                        described.put(key, value.getClass().getSimpleName() + " "
                                + (value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value));
                    }
                });
                described.put("_flashes", Flask.getFlashedMessagesWithCategories().toString());
                return described;
            }
        }
    }
}
