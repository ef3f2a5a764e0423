package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.client.RestTestClient;

/** The app-context-scoped connection: one per request, the same within it, closed when the request ends. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.offline-job.enabled=false")
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class ConnectionSampleTests {

    @Autowired
    private RestTestClient client;

    private String report() {
        return client.get().uri("/report").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void aRequestUsesOneConnectionThatClosesAtTeardownAndTheNextGetsItsOwn(CapturedOutput output)
            throws InterruptedException {
        String first = report();
        Matcher ids = Pattern.compile("connection (\\d+) ran").matcher(first);
        assertThat(ids.find()).isTrue();
        String id = ids.group(1);
        assertThat(ids.find()).isTrue();
        assertThat(ids.group(1)).as("the same connection within a request").isEqualTo(id);
        // the teardown that closes it may finish just after the client has its response
        for (int i = 0; i < 200 && !output.toString().contains("connection " + id + " closed"); i++) {
            Thread.sleep(10);
        }
        assertThat(output).contains("connection " + id + " opened for 'shop'").contains("connection " + id + " closed");
        assertThat(report()).doesNotContain("connection " + id + " ran");
    }
}
