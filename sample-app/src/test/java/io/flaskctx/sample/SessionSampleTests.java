package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.session.SecureCookieSessionInterface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The README's curl walk: the session and flashed messages cross requests in the signed cookie. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
class SessionSampleTests {

    @Autowired
    private RestTestClient client;

    @Autowired
    private FlaskApp app;

    private static String cookie(String setCookie) {
        return setCookie.split(";", 2)[0];
    }

    @Test
    void aMergedSessionComesBackOnTheNextRequest() {
        String setCookie = client.post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                .body("{\"user\":\"alice\",\"cart\":[1,2]}").exchange()
                .expectStatus().isOk().expectHeader().valueEquals("Vary", "Cookie")
                .returnResult().getResponseHeaders().getFirst("Set-Cookie");
        assertThat(setCookie).startsWith("session=").endsWith("; HttpOnly; Path=/");

        Map<String, Object> session = client.get().uri("/session").header("Cookie", cookie(setCookie)).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(session).containsEntry("user", "alice").containsEntry("cart", List.of(1, 2));
    }

    @Test
    void aFlashedMessageIsShownOnceOnTheNextRequest() {
        String setCookie = client.post().uri("/flash?message=Saved!").exchange().expectStatus().isOk()
                .returnResult().getResponseHeaders().getFirst("Set-Cookie");

        client.get().uri("/flashes").header("Cookie", cookie(setCookie)).exchange().expectStatus().isOk()
                .expectBody().json("[{\"category\":\"message\",\"message\":\"Saved!\"}]")
                // taking them empties the session: the cookie is deleted
                .consumeWith(result -> assertThat(result.getResponseHeaders().getFirst("Set-Cookie"))
                        .startsWith("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"));
    }

    @Test
    void aTamperedCookieGivesAnEmptySessionNotAnError() {
        client.get().uri("/session").header("Cookie", "session=eyJ1c2VyIjoibWFsbG9yeSJ9.ZVPxAA.forged").exchange()
                .expectStatus().isOk().expectBody().json("{}");
    }

    /** The sample once shipped SECRET_KEY: change-me; a cookie anyone could sign with it logged in as anyone. */
    @Test
    void aCookieSignedWithTheOldPlaceholderKeyLogsNobodyIn() {
        FlaskApp forger = new FlaskApp("forger");
        forger.config().put("SECRET_KEY", "change-me");
        String forged = new SecureCookieSessionInterface().signingSerializer(forger).dumps(Map.of("user", "admin"));
        client.get().uri("/cluster/me").header("Cookie", "session=" + forged).exchange().expectStatus().isOk()
                .expectHeader().doesNotExist("X-Session-User").expectBody().jsonPath("$.user").isEmpty();
    }

    @Test
    void theDevProfileSignsWithAGeneratedKey() {
        Object key = app.config().get("SECRET_KEY");
        assertThat(key).isInstanceOf(String.class);
        assertThat((String) key).matches("[0-9a-f]{64}");
    }

    /**
     * Any client may merge JSON into the session. One too large for a cookie is not sent (browsers drop it, and
     * beyond 8 KB Tomcat would answer 500): the request succeeds and the browser keeps its previous cookie.
     */
    @Test
    void aSessionTooLargeForACookieIsNotSentAndTheRequestSucceeds() {
        StringBuilder blob = new StringBuilder();
        java.util.Random random = new java.util.Random(17);
        while (blob.length() < 12_000) {
            blob.append(Long.toString(random.nextLong(), 36));
        }
        client.post().uri("/session").contentType(MediaType.APPLICATION_JSON)
                .body("{\"blob\":\"" + blob + "\"}").exchange()
                .expectStatus().isOk().expectHeader().doesNotExist("Set-Cookie");
    }
}
