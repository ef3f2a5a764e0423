package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code flaskctx.session.store=servlet} over a real Tomcat port: the session id is rotated at login (session
 * fixation), and concurrent requests of one visitor lose no update of the same key (flashes).
 */
@SpringBootTest(classes = SessionApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=servlet-wire", "flaskctx.session.store=servlet", "server.address=127.0.0.1"})
class ServletSessionOverTheWireTest {

    private static final Pattern SESSION_ID = Pattern.compile("JSESSIONID=([^;]+)");

    @LocalServerPort
    int port;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String sessionId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
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

    /**
     * An attacker gets a valid session id (by visiting the site), plants it in the victim's browser, and waits
     * for the victim to log in. The login view's {@code session.regenerate()} moves the session to a new id:
     * the victim keeps the data, the planted id holds nothing of the login.
     */
    @Test
    void loginGivesTheSessionANewIdSoAPlantedIdGetsNothing() throws Exception {
        String planted = sessionId(get("/set?key=cart&value=book", null));
        assertThat(planted).isNotNull();

        HttpResponse<String> login = get("/login?user=victim", planted);
        String rotated = sessionId(login);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(rotated).as("the login sends a new session id").isNotNull().isNotEqualTo(planted);

        assertThat(get("/read", rotated).body()).isEqualTo("{cart=book, user=victim}");
        assertThat(get("/read", planted).body()).as("the attacker's id").isEqualTo("{}");
    }

    /**
     * 48 requests of one visitor flash at once. flash() reads the list, appends and writes it back; without the
     * session mutex two requests read the same list and one message is lost (1-2 per run were).
     */
    @Test
    void concurrentFlashesIntoOneSessionAreAllKept() throws Exception {
        String session = sessionId(get("/set?key=user&value=ann", null));
        int requests = 48;
        List<CompletableFuture<HttpResponse<String>>> flashes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            flashes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/flash?message=m" + i)).header("Cookie", "JSESSIONID=" + session).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> flash : flashes) {
            assertThat(flash.join().statusCode()).isEqualTo(200);
        }
        String shown = get("/flashes", session).body();
        List<String> messages = new ArrayList<>();
        Matcher matcher = Pattern.compile("\\('message', '(m\\d+)'\\)").matcher(shown);
        while (matcher.find()) {
            messages.add(matcher.group(1));
        }
        assertThat(messages).hasSize(requests).doesNotHaveDuplicates();
    }
}
