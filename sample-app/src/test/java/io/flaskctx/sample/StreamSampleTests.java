package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The stream is written off the request thread and still sees g and the user. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
class StreamSampleTests {

    @Autowired
    private RestTestClient client;

    @Test
    void theStreamReadsGAndTheUserOnItsWriterThread() {
        String body = client.get().uri("/stream").header("X-User", "dave").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "dave").expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(body.lines()).hasSize(3).allSatisfy(line -> assertThat(line)
                .contains(" for dave (g.stream: started in the handler) on ").doesNotContain("http-nio"));
    }
}
