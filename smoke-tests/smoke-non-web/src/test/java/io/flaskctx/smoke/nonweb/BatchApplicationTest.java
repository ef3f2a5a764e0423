package io.flaskctx.smoke.nonweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flaskctx.AppContext;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * A real application with only the starter on its classpath (no Spring MVC, no spring-web): it starts (it used to
 * fail with NoClassDefFoundError: jakarta/servlet/http/HttpServletRequest), stays a non-web application, and has
 * the app-context side of flaskctx.
 */
@SpringBootTest(properties = {"flaskctx.app-name=batch", "flaskctx.config.REGION=eu"})
@ExtendWith(OutputCaptureExtension.class)
class BatchApplicationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    FlaskApp app;

    @Autowired
    BatchApplication.Export export;

    @Autowired
    BatchApplication.Journal journal;

    @Test
    void itIsANonWebApplicationWithoutSpringMvc(CapturedOutput output) {
        assertThat(ClassUtils.isPresent("org.springframework.web.servlet.DispatcherServlet", null)).isFalse();
        assertThat(ClassUtils.isPresent("org.springframework.web.context.ConfigurableWebApplicationContext", null))
                .isFalse();
        assertThat(context.getClass().getName()).doesNotContain("Web");
        assertThat(output).doesNotContain("Spring MVC only");
    }

    @Test
    void theRunnerRanInAnAppContextWithNoRequestContext() {
        assertThat(journal.runner).isEqualTo("runner in batch, request context: false");
    }

    @Test
    void withAppContextGivesCurrentAppConfigGTheScopedConnectionAndAsyncCopies() throws Exception {
        journal.lines.clear();
        String result = export.run("alice");
        assertThat(result).startsWith("batch eu alice ").contains(" mailed:alice@");
        String connection = result.split(" ")[3];
        // The @Async copy shares the app context, so its teardown runs when the last of the two leaves: the
        // caller's pop or the executor's task, whichever ends later (README "Teardown runs once"). The future
        // completes before the task returns, so it may still be the executor's turn here.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(journal.lines).containsExactly("teardown batch g=alice",
                        "closed " + connection));
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void anAppContextPushedByHandWorksAsInAScript() {
        journal.lines.clear();
        try (AppContext ignored = app.appContext().push()) {
            Flask.g().set("user", "script");
            assertThat(Flask.currentApp()).isSameAs(app);
        }
        assertThat(journal.lines).containsExactly("teardown batch g=script");
        assertThat(Flask.hasAppContext()).isFalse();
    }
}
