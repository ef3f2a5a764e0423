package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.OutsideContextException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The hand-pushed app context, without a web server. */
class OfflineJobTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(FlaskApp.class, () -> new FlaskApp("shop"))
            .withBean(Connection.class, Connection::new)
            .withUserConfiguration(OfflineJob.class);

    @Test
    void jobSeesCurrentAppAndGOnlyWhilePushedAndLeavesNoContextBehind() {
        FlaskApp app = new FlaskApp("batch");
        app.config().put("MAIL_SERVER", "smtp.test");
        OfflineJob job = new OfflineJob(app, new Connection());

        job.run();

        assertThat(job.result()).startsWith("digest for scheduler from batch via smtp.test; connection ")
                .endsWith(" ran: select * from outbox");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void codeUsingCurrentAppFailsOutsideAnAppContext() {
        assertThatExceptionOfType(OutsideContextException.class)
                .isThrownBy(() -> new MailDigest().compose())
                .withMessageStartingWith("Working outside of application context.");
    }

    @Test
    void jobIsOnByDefault() {
        runner.run(context -> assertThat(context).hasSingleBean(OfflineJob.class));
    }

    @Test
    void jobCanBeSwitchedOff() {
        runner.withPropertyValues("sample.offline-job.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(OfflineJob.class));
    }
}
