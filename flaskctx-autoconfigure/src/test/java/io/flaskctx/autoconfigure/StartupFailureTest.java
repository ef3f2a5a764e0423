package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.TeardownAppContext;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

/** Every misconfiguration stops start-up with a report that names the property or method and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class,
                    WebMvcAutoConfiguration.class));

    private FailureAnalysis analysisOf(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("no FailureAnalysis for %s", (Object) properties).isNotNull();
        return analysis[0];
    }

    @Test
    void aMaxDepthBelowOne() {
        FailureAnalysis analysis = analysisOf("flaskctx.max-depth=-1");
        assertThat(analysis.getDescription()).contains("flaskctx.max-depth is -1");
        assertThat(analysis.getAction()).contains("Set flaskctx.max-depth to a positive number");
    }

    @Test
    void aBlankAppName() {
        FailureAnalysis analysis = analysisOf("flaskctx.app-name= ");
        assertThat(analysis.getDescription()).contains("flaskctx.app-name is blank");
        assertThat(analysis.getAction()).contains("Set flaskctx.app-name");
    }

    @Test
    void anIncludePatternThatIsNotAPathPattern() {
        FailureAnalysis analysis = analysisOf("flaskctx.web.include-patterns=api/**");
        assertThat(analysis.getDescription()).contains("flaskctx.web.include-patterns[0] is 'api/**'")
                .contains("start with '/'");
        assertThat(analysis.getAction()).contains("such as /api/**");
    }

    @Test
    void anExcludePatternThatDoesNotParse() {
        FailureAnalysis analysis = analysisOf("flaskctx.web.exclude-patterns=/ok/**,/a/**/b/{id");
        assertThat(analysis.getDescription()).contains("flaskctx.web.exclude-patterns[1] is '/a/**/b/{id'")
                .contains("not a valid path pattern");
        assertThat(analysis.getAction()).contains("Spring MVC path pattern");
    }

    @Test
    void aHookWithAParameterFlaskctxCannotSupply() {
        runner.withBean(BadParameter.class).run(context -> {
            FailureAnalysis analysis = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("@BeforeRequest method")
                    .contains(BadParameter.class.getName() + ".before").contains("java.lang.String");
            assertThat(analysis.getAction()).contains("only parameters of these types")
                    .contains("HttpServletRequest");
        });
    }

    @Test
    void anAfterHookThatReturnsAValue() {
        runner.withBean(BadReturn.class).run(context -> {
            FailureAnalysis analysis = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("@AfterRequest method").contains("returns String");
            assertThat(analysis.getAction()).contains("return void").contains("HttpServletResponse parameter");
        });
    }

    @Test
    void aTeardownHookAskingForTheRequestIsRejectedBecauseItMayHaveNone() {
        runner.withBean(TeardownWithRequest.class).run(context -> {
            FailureAnalysis analysis = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("@TeardownAppContext method")
                    .contains("HttpServletRequest");
        });
    }

    @Test
    void theFailureAnalyzerIsRegisteredSoBootPrintsTheReport(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MinimalApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--flaskctx.max-depth=0", "--spring.main.banner-mode=off"))
                .isInstanceOf(Exception.class);
        assertThat(output).contains("APPLICATION FAILED TO START").contains("flaskctx.max-depth is 0")
                .contains("Set flaskctx.max-depth to a positive number");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MinimalApp {
    }

    static class BadParameter {
        @BeforeRequest
        void before(String notSupplied) {
        }
    }

    static class BadReturn {
        @AfterRequest
        String after() {
            return "ignored";
        }
    }

    static class TeardownWithRequest {
        @TeardownAppContext
        void teardown(HttpServletRequest request) {
        }
    }
}
