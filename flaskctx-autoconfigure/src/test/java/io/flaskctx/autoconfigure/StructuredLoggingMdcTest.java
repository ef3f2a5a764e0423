package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With Boot's structured logging ({@code logging.structured.format.console=ecs|logstash}) the g values named in
 * {@code flaskctx.logging.mdc-keys} are fields of each JSON line logged while their context is current, and are
 * gone from lines logged after it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingMdcTest {

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void theGValuesAreFieldsOfTheJsonLine(String format, CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("flaskctx.app-name=shop", "flaskctx.logging.mdc-keys=user,tenant",
                        "logging.structured.format.console=" + format, "spring.main.banner-mode=off")
                .run()) {
            FlaskApp app = context.getBean(FlaskApp.class);
            try (var ctx = app.appContext().push()) {
                ctx.g().set("user", "alice");
                ctx.g().set("tenant", "acme");
                LoggerFactory.getLogger("io.flaskctx.sample.OrderController").info("order {} placed", 42);
            }
            LoggerFactory.getLogger("io.flaskctx.sample.OrderController").info("after the context");
        }
        String placed = line(output, "order 42 placed");
        assertThat(placed).startsWith("{").contains("\"user\":\"alice\"").contains("\"tenant\":\"acme\"");
        assertThat(line(output, "after the context")).doesNotContain("alice").doesNotContain("acme");
    }

    private static String line(CapturedOutput output, String message) {
        return output.getOut().lines().filter(l -> l.contains(message)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + message + "' in:\n" + output.getOut()));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
