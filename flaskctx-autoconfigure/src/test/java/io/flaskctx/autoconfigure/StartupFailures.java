package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

/** A web application with the starter, main app "shop", and the report a failed start-up shows. */
final class StartupFailures {

    static final WebApplicationContextRunner WEB = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class,
                    WebMvcAutoConfiguration.class))
            .withPropertyValues("flaskctx.app-name=shop");

    private StartupFailures() {
    }

    /** Starts {@code configured}, which must fail, and returns flaskctx's analysis of the failure. */
    static FailureAnalysis analysis(WebApplicationContextRunner configured) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        configured.run(context -> {
            assertThat(context).hasFailed();
            result[0] = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).isNotNull();
        return result[0];
    }
}
