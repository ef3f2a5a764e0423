package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flaskctx.Flask;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The scheduled digest: an app context per run, pushed by flaskctx, with g and its own connection. */
@SpringBootTest(properties = {
        "sample.digest.initial-delay=PT0S", "sample.offline-job.enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class BeyondRequestsSampleTests {

    @Autowired
    private DigestJob digest;

    @Test
    void theScheduledDigestRunsInItsOwnAppContextAndClosesItsConnection(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(30)).until(() -> digest.runs() >= 1);
        assertThat(digest.result()).startsWith("digest for digest from shop via smtp.example.org; connection ")
                .endsWith(" ran: select * from outbox");
        String connection = digest.result().replaceAll(".*; (connection \\d+) ran.*", "$1");
        await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains(connection + " closed"));
        assertThat(output).contains("teardown_appcontext of 'shop', g held [user]");
        assertThat(Flask.hasAppContext()).isFalse();
    }
}
