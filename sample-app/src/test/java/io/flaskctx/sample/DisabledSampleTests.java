package io.flaskctx.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The sample starts without flaskctx (the baseline of benchmarks/http.sh) and still answers /ping. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "flaskctx.enabled=false")
@AutoConfigureRestTestClient
class DisabledSampleTests {

    @Autowired
    private RestTestClient client;

    @Test
    void startsWithFlaskctxDisabledAndAnswersPing() {
        client.get().uri("/ping").exchange().expectStatus().isOk().expectHeader().doesNotExist("X-App")
                .expectBody(String.class).isEqualTo("pong");
    }
}
