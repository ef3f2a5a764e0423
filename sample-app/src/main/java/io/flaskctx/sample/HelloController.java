package io.flaskctx.sample;

import io.flaskctx.BeforeRequest;
import io.flaskctx.CurrentApp;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One controller, two apps: {@code /hello} runs with the main app ({@code shop}), {@code /admin/hello} with the
 * app mounted at {@code /admin}, each with its own config, and the admin app with a before hook of its own.
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class HelloController {

    private final CurrentApp currentApp;

    public HelloController(CurrentApp currentApp) {
        this.currentApp = currentApp;
    }

    @GetMapping({"/hello", "/admin/hello"})
    public String hello() {
        return "hello from %s (FLAVOUR=%s, audited=%s)%n".formatted(currentApp.name(),
                currentApp.config().get("FLAVOUR"), Flask.g().getOrDefault("audited", false));
    }

    /** A before hook of the admin app only (a hook without app = ... belongs to the main app). */
    @BeforeRequest(app = "admin")
    public void audit(FlaskApp app) {
        Flask.g().set("audited", true);
    }
}
