package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample with server-side sessions (what the redis profile runs, on the container's own sessions here):
 * an attacker who plants a session id, in a cookie or as {@code ;jsessionid=} in a link, gets nothing of the
 * victim's login.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"sample.offline-job.enabled=false", "flaskctx.session.store=servlet", "server.address=127.0.0.1"})
class SessionFixationSampleTests {

    private static final Pattern SESSION_ID = Pattern.compile("JSESSIONID=([^;]+)");

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String sessionId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionId(HttpResponse<?> response) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            Matcher matcher = SESSION_ID.matcher(setCookie);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return null;
    }

    /** The attacker's own visit gives a valid id, which is planted in the victim's browser. */
    private String plantedId() throws Exception {
        String planted = sessionId(send("POST", "/cluster/flash?message=hi", null));
        assertThat(planted).isNotNull();
        return planted;
    }

    @Test
    void theLoginMovesTheSessionToANewIdSoThePlantedOneIsNotLoggedIn() throws Exception {
        String planted = plantedId();

        HttpResponse<String> login = send("POST", "/cluster/login?user=victim", planted);
        String rotated = sessionId(login);
        assertThat(login.headers().firstValue("X-Session-User")).hasValue("victim");
        assertThat(rotated).isNotNull().isNotEqualTo(planted);

        assertThat(send("GET", "/cluster/me", rotated).headers().firstValue("X-Session-User")).hasValue("victim");
        assertThat(send("GET", "/cluster/me", planted).headers().firstValue("X-Session-User")).isEmpty();
    }

    @Test
    void aSessionIdInTheUrlIsIgnoredBecauseTheSampleTracksSessionsByCookieOnly() throws Exception {
        String planted = plantedId();

        HttpResponse<String> login = send("POST", "/cluster/login;jsessionid=" + planted + "?user=victim", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(sessionId(login)).as("a session of its own").isNotNull().isNotEqualTo(planted);
        assertThat(send("GET", "/cluster/me", planted).headers().firstValue("X-Session-User")).isEmpty();
    }
}
