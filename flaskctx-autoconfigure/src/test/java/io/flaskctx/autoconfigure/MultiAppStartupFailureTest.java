package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.BeforeRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Invalid mounts stop start-up with a report that names the app and the fix. */
class MultiAppStartupFailureTest {

    private final WebApplicationContextRunner runner = StartupFailures.WEB;

    private static FailureAnalysis analysis(WebApplicationContextRunner configured) {
        return StartupFailures.analysis(configured);
    }

    @Test
    void aMountWithoutALeadingSlash() {
        FailureAnalysis analysis = analysis(runner.withPropertyValues("flaskctx.apps.admin.mount=admin"));
        assertThat(analysis.getDescription()).contains("flaskctx.apps.admin.mount is 'admin'")
                .contains("does not start with '/'");
        assertThat(analysis.getAction()).contains("Set flaskctx.apps.admin.mount to a path such as /admin");
    }

    @Test
    void aMountWithATrailingSlash() {
        FailureAnalysis analysis = analysis(runner.withPropertyValues("flaskctx.apps.admin.mount=/admin/"));
        assertThat(analysis.getDescription()).contains("ends with '/'");
    }

    @Test
    void twoAppsOnOneMount() {
        FailureAnalysis analysis = analysis(runner.withPropertyValues("flaskctx.apps.admin.mount=/admin",
                "flaskctx.apps.backoffice.mount=/admin"));
        assertThat(analysis.getDescription()).contains("the mount of app 'admin' already");
        assertThat(analysis.getAction()).contains("different mounts");
    }

    @Test
    void anAppNamedLikeTheMainApp() {
        FailureAnalysis analysis = analysis(runner.withPropertyValues("flaskctx.apps.shop.mount=/shop"));
        assertThat(analysis.getDescription()).contains("flaskctx.apps.shop is named like the main app");
        assertThat(analysis.getAction()).contains("Rename the mounted app");
    }

    @Test
    void anUnknownAppInAHookAnnotation() {
        FailureAnalysis analysis = analysis(runner.withBean(UnknownAppHook.class));
        assertThat(analysis.getDescription()).contains("belongs to app 'nope'").contains("[shop]");
        assertThat(analysis.getAction()).contains("flaskctx.apps.nope");
    }

    static class UnknownAppHook {
        @BeforeRequest(app = "nope")
        void before() {
        }
    }
}
