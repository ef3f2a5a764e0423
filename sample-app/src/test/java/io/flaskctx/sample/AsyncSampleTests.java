package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/** Every async style sees the user the before hook loaded, on a thread other than the request's. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
class AsyncSampleTests {

    @Autowired
    private RestTestClient client;

    @ParameterizedTest
    @CsvSource({"callable, a Callable", "web-async-task, a WebAsyncTask", "at-async, @Async",
            "deferred, copied work"})
    void theAsyncWorkSeesTheUserFromG(String path, String who) {
        String body = client.get().uri("/async/" + path).header("X-User", "carol").exchange()
                .expectStatus().isOk().expectHeader().valueEquals("X-User", "carol")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).startsWith("carol seen by " + who + " on ").doesNotContain("http-nio");
    }
}
