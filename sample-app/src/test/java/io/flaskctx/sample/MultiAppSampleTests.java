package io.flaskctx.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/** /hello and /admin/hello answer with different current_app names, config values and hooks. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
class MultiAppSampleTests {

    @Autowired
    private RestTestClient client;

    @Test
    void theMainAppAndTheAdminAppAnswerEachWithItsOwnNameConfigAndHooks() {
        client.get().uri("/hello").exchange().expectStatus().isOk().expectHeader().valueEquals("X-App", "shop")
                .expectBody(String.class).isEqualTo("hello from shop (FLAVOUR=shop, audited=false)\n");
        client.get().uri("/admin/hello").exchange().expectStatus().isOk().expectHeader().doesNotExist("X-App")
                .expectBody(String.class).isEqualTo("hello from admin (FLAVOUR=admin, audited=true)\n");
    }
}
