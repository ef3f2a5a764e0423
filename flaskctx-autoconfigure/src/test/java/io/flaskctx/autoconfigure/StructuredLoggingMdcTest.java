package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.flaskctx.FlaskApp;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * With Boot's structured logging ({@code logging.structured.format.console=ecs|logstash}) the g values named in
 * {@code flaskctx.logging.mdc-keys} are fields of each JSON line logged while their context is current, and are
 * gone from lines logged after it. The lines are written by Boot's own {@code StructuredLogEncoder} (what that
 * property installs on the console) on a logger context of this test's, so that the JVM-wide logging the other
 * test contexts share is left as it is; it reads the same MDC.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingMdcTest {

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void theGValuesAreFieldsOfTheJsonLine(String format, CapturedOutput output) {
        LoggerContext logging = structuredConsole(format);
        Logger log = logging.getLogger("io.flaskctx.sample.OrderController");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("flaskctx.app-name=shop", "flaskctx.logging.mdc-keys=user,tenant",
                        "spring.main.banner-mode=off")
                .run()) {
            FlaskApp app = context.getBean(FlaskApp.class);
            try (var ctx = app.appContext().push()) {
                ctx.g().set("user", "alice");
                ctx.g().set("tenant", "acme");
                log.info("order {} placed", 42);
            }
            log.info("after the context");
        } finally {
            logging.stop();
        }
        String placed = line(output, "order 42 placed");
        assertThat(placed).startsWith("{").contains("\"user\":\"alice\"").contains("\"tenant\":\"acme\"");
        assertThat(line(output, "after the context")).startsWith("{").doesNotContain("alice").doesNotContain("acme");
    }

    /** A logger context whose console appender encodes as logging.structured.format.console=format does. */
    private static LoggerContext structuredConsole(String format) {
        LoggerContext shared = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggerContext logging = new LoggerContext();
        logging.setMDCAdapter(shared.getMDCAdapter()); // org.slf4j.MDC, where flaskctx writes
        logging.putObject(Environment.class.getName(), new StandardEnvironment());
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(logging);
        encoder.setFormat(format);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(logging);
        console.setEncoder(encoder);
        console.start();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
        logging.start();
        return logging;
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
