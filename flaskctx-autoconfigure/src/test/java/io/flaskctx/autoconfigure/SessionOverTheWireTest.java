package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.SessionInterface;
import io.flaskctx.session.SecureCookieSessionInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Over a real Tomcat port: the Set-Cookie headers reach the client exactly as Flask writes them (attribute
 * order, Expires format), and cookies that cannot be read never fail a request.
 */
@SpringBootTest(classes = SessionApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.app-name=wire", "flaskctx.config.SECRET_KEY=reference-secret-key",
                "server.address=127.0.0.1"})
class SessionOverTheWireTest {

    @LocalServerPort
    int port;

    @Autowired
    FlaskApp app;

    @Autowired
    SessionInterface store;

    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void restoreFlasksDefaults() {
        for (String key : new String[] {"SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH",
                "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE"}) {
            app.config().put(key, new io.flaskctx.Config().get(key));
        }
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendsFlasksSetCookieHeaderByteForByte() throws Exception {
        HttpResponse<String> set = get("/set", null);
        assertThat(set.headers().allValues("Set-Cookie"))
                .containsExactly("session=eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.4vyUI8vM4oRUt-bIkhDqIkrrWlo; HttpOnly; Path=/");
        assertThat(set.headers().allValues("Vary")).containsExactly("Cookie");

        HttpResponse<String> permanent = get("/permanent", null);
        assertThat(permanent.headers().allValues("Set-Cookie")).containsExactly(
                "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.t7lJSMBlSoyLKR5oVgbXoh1mb6M;"
                        + " Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/");

        HttpResponse<String> cleared = get("/clear", "session=" + SessionMockMvcTest.ALICE);
        assertThat(cleared.headers().allValues("Set-Cookie"))
                .containsExactly("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/");
    }

    @Test
    void sendsEveryConfiguredAttributeInWerkzeugsOrder() throws Exception {
        app.config().putAll(Map.of("SESSION_COOKIE_NAME", "sid", "SESSION_COOKIE_DOMAIN", "example.com",
                "SESSION_COOKIE_PATH", "/app", "SESSION_COOKIE_HTTPONLY", "False", "SESSION_COOKIE_SECURE", "True",
                "SESSION_COOKIE_SAMESITE", "Lax"));

        assertThat(get("/set", null).headers().allValues("Set-Cookie")).containsExactly(
                "sid=eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.4vyUI8vM4oRUt-bIkhDqIkrrWlo; Domain=example.com; Secure; Path=/app;"
                        + " SameSite=Lax");
    }

    @Test
    void cookieJoinsTheVaryTheViewSetOnOneLine() throws Exception {
        assertThat(get("/vary?line=Accept-Encoding,%20Accept-Language", null).headers().allValues("Vary"))
                .containsExactly("Accept-Encoding, Accept-Language, Cookie");
        HttpResponse<String> written = get("/vary?line=Accept-Encoding&line=Accept-Language&write", null);
        assertThat(written.headers().allValues("Vary")).containsExactly("Accept-Encoding, Accept-Language, Cookie");
        assertThat(written.headers().allValues("Set-Cookie")).hasSize(1);
    }

    @Test
    void readsBackWhatItSent() throws Exception {
        String cookie = get("/set?value=frank", null).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(get("/read", cookie).body()).isEqualTo("{user=frank}");
    }

    @Test
    void unreadableCookiesNeverFailARequest() throws Exception {
        for (String cookie : new String[] {"session=!!!!", "session=a.b.c", "session=" + "x".repeat(7000),
                "session=.eJwrSS0u0U1KLE4FABHkA0g.ZVPxAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "session=\"quoted\"",
                "session=" + SessionMockMvcTest.ALICE + "; session=garbage"}) {
            HttpResponse<String> response = get("/read", cookie);
            assertThat(response.statusCode()).as(cookie).isEqualTo(200);
            assertThat(response.headers().allValues("Set-Cookie")).as(cookie).isEmpty();
        }
    }

    /**
     * Flask sends a cookie over MAX_COOKIE_SIZE with a warning: the browser drops it, and the user is logged out
     * with no error; beyond Tomcat's 8 KB header limit the response is a container 500. flaskctx sends none: the
     * request succeeds, the browser keeps its previous cookie, and the refusal is counted.
     */
    @Test
    void aCookieBrowsersWouldDropIsNotSentAndThePreviousOneStillWorks() throws Exception {
        String previous = get("/set?value=grace", null).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        long before = ((SecureCookieSessionInterface) store).tooLarge();
        for (int bytes : new int[] {5_000, 12_000}) {
            HttpResponse<String> big = get("/big?bytes=" + bytes, previous);
            assertThat(big.statusCode()).as("%s bytes", bytes).isEqualTo(200);
            assertThat(big.body()).isEqualTo("stored " + bytes);
            assertThat(big.headers().allValues("Set-Cookie")).as("%s bytes", bytes).isEmpty();
            assertThat(big.headers().allValues("Vary")).containsExactly("Cookie");
        }
        assertThat(((SecureCookieSessionInterface) store).tooLarge() - before).isEqualTo(2);
        assertThat(get("/read", previous).body()).isEqualTo("{user=grace}");
    }
}
