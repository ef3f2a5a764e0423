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
 * The sample starts without flaskctx (leg B of benchmarks/http.sh) and still answers /ping; with the bench hooks
 * asked for, it does their work the plain Spring way, so both legs answer the same.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"flaskctx.enabled=false", "sample.bench-hooks.enabled=true"})
@AutoConfigureRestTestClient
class DisabledSampleTests {

    @Autowired
    private RestTestClient client;

    @Autowired
    private ApplicationContext context;

    @Test
    void startsWithFlaskctxDisabledAndAnswersPing() {
        client.get().uri("/ping").exchange().expectStatus().isOk().expectHeader().doesNotExist("X-App")
                .expectBody(String.class).isEqualTo("pong");
    }

    @Test
    void theInterceptorNamesTheUserAsTheBenchHooksDo() {
        client.get().uri("/ping").header("X-User", "bench").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "bench")
                .expectBody(String.class).isEqualTo("pong");
        client.get().uri("/ping").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "anonymous");
        assertThat(context.getBeanNamesForType(BenchHooks.class)).isEmpty();
    }
}
