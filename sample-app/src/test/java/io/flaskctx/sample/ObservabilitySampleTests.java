package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;

/** The sample's metrics, its leak demo and the flaskctx endpoint, over a real port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class ObservabilitySampleTests {

    @Autowired
    private RestTestClient client;

    private double leaked() {
        JsonNode metric = client.get().uri("/actuator/metrics/flaskctx.contexts.leaked?tag=type:app").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        return metric.get("measurements").get(0).get("value").asDouble();
    }

    @Test
    void theLeakDemoIsCountedAndLoggedWithTheLineThatPushed(CapturedOutput output) throws InterruptedException {
        double before = leaked();
        client.get().uri("/leak-demo").exchange().expectStatus().isOk();
        // the leak is found when the request ends, which may be just after the client has its response
        for (int i = 0; i < 200 && (leaked() - before < 1
                || !output.toString().contains("was still pushed when GET /leak-demo ended")); i++) {
            Thread.sleep(10);
        }
        assertThat(leaked() - before).isEqualTo(1);
        assertThat(output)
                .containsPattern("<AppContext of 'shop' #[0-9a-f]+> was still pushed when GET /leak-demo ended")
                .contains("It was pushed at io.flaskctx.sample.LeakDemoController.leak(LeakDemoController.java:");
    }

    @Test
    void theFlaskctxEndpointShowsTheAppAndHidesItsSecretKey() {
        JsonNode body = client.get().uri("/actuator/flaskctx").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode app = body.get("apps").get(0);
        assertThat(app.get("name").asString()).isEqualTo("shop");
        assertThat(app.get("config").get("SECRET_KEY").asString()).isEqualTo("******");
        assertThat(app.get("config").get("DEBUG").asBoolean()).isTrue();
        assertThat(app.get("hooks").get("before_request").get(0).asString())
                .isEqualTo("io.flaskctx.sample.UserLoader.loadUser");
        assertThat(body.get("contexts").get("request").get("active").asLong()).isZero();
    }
}
