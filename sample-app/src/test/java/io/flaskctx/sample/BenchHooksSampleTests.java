package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Leg A of benchmarks/http.sh: flaskctx with the bench hooks and without the sample's own. The user the before
 * hook puts in g comes back in the header the after hook sets, on the endpoint the benchmark drives.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {"sample.hooks.enabled=false",
        "sample.bench-hooks.enabled=true", "management.observations.enable.flaskctx=false"})
@AutoConfigureRestTestClient
class BenchHooksSampleTests {

    @Autowired
    private RestTestClient client;

    @Autowired
    private ApplicationContext context;

    @Test
    void pingNamesTheUserTheBeforeHookPutInG() {
        client.get().uri("/ping").header("X-User", "bench").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "bench")
                .expectHeader().doesNotExist("X-App")
                .expectBody(String.class).isEqualTo("pong");
        client.get().uri("/ping").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "anonymous");
    }

    @Test
    void onlyTheFlaskHooksDoTheWork() {
        assertThat(context.getBeanNamesForType(BenchHooks.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(BenchInterceptor.class)).isEmpty();
        assertThat(context.getBeanNamesForType(UserLoader.class)).isEmpty();
    }
}
