package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import io.flaskctx.Flask;
import io.flaskctx.session.SecureCookieSessionInterface;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * flaskctx logs through commons-logging, as Spring does, so its lines reach the application's logging system
 * (Logback here, configured by Boot's {@code logging.level.*}) directly: with the JUL bridge removed, a DEBUG line
 * of the session store still appears. Through {@code System.Logger} it went to JUL and was lost without the bridge.
 */
@SpringBootTest(classes = LoggingTest.App.class, properties = {"logging.level.io.flaskctx=DEBUG",
        "flaskctx.config.SECRET_KEY=logging-test-secret-key-0123456789"})
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class LoggingTest {

    @Autowired
    MockMvc mvc;

    @BeforeEach
    void withoutTheJulBridge() {
        SLF4JBridgeHandler.uninstall();
    }

    @AfterEach
    void bridgeBackForTheOtherTests() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.install();
        }
    }

    @Test
    void aDebugLineOfFlaskctxReachesBootsLoggingWithoutTheJulBridge(CapturedOutput output) throws Exception {
        assertThat(SLF4JBridgeHandler.isInstalled()).isFalse();
        mvc.perform(get("/visits").cookie(new Cookie("session", "forged.cookie.value")))
                .andExpect(content().string("0"));
        assertThat(output.getAll().lines().filter(l -> l.contains("Ignored the session cookie of /visits")))
                .singleElement().satisfies(line -> assertThat(line).contains("DEBUG")
                        .contains(SecureCookieSessionInterface.class.getSimpleName()));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Views.class)
    static class App {
    }

    @RestController
    static final class Views {
        @GetMapping("/visits")
        String visits() {
            return String.valueOf(Flask.session().size());
        }
    }
}
