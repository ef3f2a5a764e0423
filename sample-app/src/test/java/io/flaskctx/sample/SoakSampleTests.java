package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The soak's endpoints ({@code benchmarks/soak.sh}): each answers with the token its before hook put in
 * {@code g} as the body and the request's own header as {@code X-Echo}, so a request that saw another
 * request's {@code g} is seen on its response; the throwing one ends in a 500.
 */
// Tomcat logs each thrown request at ERROR; 100 of them say nothing here.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"sample.offline-job.enabled=false", "logging.level.org.apache.catalina.core=OFF"})
@AutoConfigureRestTestClient
class SoakSampleTests {

    @Autowired
    private RestTestClient client;

    @LocalServerPort
    private int port;

    @ParameterizedTest
    @CsvSource({"GET, /soak, normal", "GET, /soak/async, async", "POST, /soak/session, session"})
    void theTokenReadFromGMatchesTheEchoedHeader(String method, String path, String kind) {
        String token = "t-" + kind + "-1";
        client.method(HttpMethod.valueOf(method)).uri(path).header("X-Token", token).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Echo", token)
                .expectHeader().valueEquals("X-Kind", kind)
                .expectBody(String.class).isEqualTo(token);
    }

    @Test
    void theSessionRequestWritesTheTokenIntoTheSessionCookie() {
        String setCookie = client.post().uri("/soak/session").header("X-Token", "t-cookie").exchange()
                .expectStatus().isOk().returnResult().getResponseHeaders().getFirst("Set-Cookie");
        assertThat(setCookie).startsWith("session=");

        client.get().uri("/session").header("Cookie", setCookie.split(";", 2)[0]).exchange()
                .expectStatus().isOk().expectBody().json("{\"soak.token\":\"t-cookie\",\"soak.writes\":1}");
    }

    @Test
    void theThrowingRequestEndsInA500() {
        client.get().uri("/soak/boom").header("X-Token", "t-boom").exchange().expectStatus().isEqualTo(500);
    }

    @Test
    void concurrentRequestsEachSeeTheirOwnToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String[] paths = {"/soak", "/soak/async", "/soak/boom", "/soak/session"};
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> problems = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String token = "t-" + i;
                String path = paths[i % paths.length];
                problems.add(pool.submit(() -> check(http, path, token)));
            }
            List<String> found = new ArrayList<>();
            for (Future<String> problem : problems) {
                if (problem.get() != null) {
                    found.add(problem.get());
                }
            }
            assertThat(found).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return what is wrong with the answer to one request, or null */
    private String check(HttpClient http, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("X-Token", token);
        request = path.endsWith("/session") ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (path.endsWith("/boom")) {
            return response.statusCode() == 500 ? null : path + " " + token + ": status " + response.statusCode();
        }
        String echo = response.headers().firstValue("X-Echo").orElse(null);
        if (response.statusCode() != 200 || !token.equals(echo) || !token.equals(response.body())) {
            return path + " " + token + ": status " + response.statusCode() + ", echo " + echo + ", body "
                    + response.body();
        }
        return null;
    }
}
