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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The tracing profile as the README shows it: the request's hook spans are printed to the console, and the
 * {@code @Async} audit line, logged on a task thread, carries the user of the request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@ActiveProfiles({"dev", "tracing"})
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class TracingSampleTests {

    @Autowired
    private RestTestClient client;

    @Test
    void theHookSpansArePrintedAndTheAsyncLineCarriesTheUser(CapturedOutput output) throws InterruptedException {
        String body = client.get().uri("/async/at-async").header("X-User", "carol").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).startsWith("carol seen by @Async on task-");

        String hookSpan = "'before_request io.flaskctx.sample.UserLoader.loadUser'";
        for (int i = 0; i < 100 && !output.getOut().contains(hookSpan); i++) {
            Thread.sleep(50);
        }
        assertThat(output.getOut()).contains(hookSpan);
        String audit = output.getOut().lines().filter(line -> line.contains("audit: describing the user"))
                .findFirst().orElseThrow();
        assertThat(audit).contains("[user=carol]").contains("task-");
    }
}
