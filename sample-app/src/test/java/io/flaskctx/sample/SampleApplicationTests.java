package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flaskctx.Flask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The sample on a real port, driven over HTTP as a user of it would. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=true")
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    @Autowired
    private RestTestClient client;

    @Autowired
    private OfflineJob offlineJob;

    @Test
    void whoamiCombinesTheUserInGWithCurrentAppConfig() {
        client.get().uri("/whoami").header("X-User", "alice").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-App", "shop")
                .expectHeader().valueEquals("X-User", "alice")
                .expectBody(String.class).isEqualTo("alice on shop (mail via smtp.example.org, debug=true)");
    }

    @Test
    void requestWithoutUserHeaderIsServedAsAnonymous() {
        client.get().uri("/whoami").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-User", "anonymous")
                .expectBody(String.class).isEqualTo("anonymous on shop (mail via smtp.example.org, debug=true)");
    }

    @Test
    void concurrentRequestsEachReadBackTheirOwnG() throws Exception {
        int requests = 20;
        ExecutorService callers = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<IsolationController.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String value = "v" + i;
                replies.add(callers.submit(() -> {
                    go.await();
                    return client.get().uri("/isolation?value={value}", value).exchange()
                            .expectStatus().isOk()
                            .expectBody(IsolationController.Reply.class).returnResult().getResponseBody();
                }));
            }
            go.countDown();

            List<IsolationController.Reply> mismatches = new ArrayList<>();
            Set<String> serverThreads = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                IsolationController.Reply reply = replies.get(i).get(30, TimeUnit.SECONDS);
                if (!("v" + i).equals(reply.value()) || !reply.value().equals(reply.g())) {
                    mismatches.add(reply);
                }
                serverThreads.add(reply.thread());
            }
            assertThat(mismatches).isEmpty();
            // Unless requests ran side by side on several threads, the check above proves nothing.
            assertThat(serverThreads).hasSizeGreaterThan(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void offlineJobRanInAnAppContextItPushedAndPopped() {
        assertThat(offlineJob.result()).startsWith("digest for scheduler from shop via smtp.example.org; connection ")
                .endsWith(" ran: select * from outbox");
        // The job ran on the thread that started the application: its context must be gone again.
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void teardownHooksRunForAFailedRequestAndReceiveItsError(CapturedOutput output) {
        client.get().uri("/boom").header("X-User", "bob").exchange()
                .expectStatus().is5xxServerError();

        // Teardown may finish just after the client has its answer.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                .contains("teardown_request GET /boom error=java.lang.IllegalStateException: boom")
                .contains("teardown_appcontext of 'shop', g held [user], error=java.lang.IllegalStateException: boom"));
    }

    @Test
    void teardownHooksRunForASuccessfulRequestWithoutError(CapturedOutput output) {
        client.get().uri("/whoami").exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                .contains("teardown_request GET /whoami"));
        assertThat(output.getOut()).doesNotContain("teardown_request GET /whoami error=");
    }
}
