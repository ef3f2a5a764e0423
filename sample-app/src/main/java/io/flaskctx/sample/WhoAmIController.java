package io.flaskctx.sample;

import io.flaskctx.CurrentApp;
import io.flaskctx.G;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.RestController;

/**
 * A view reading {@code g.user} and {@code current_app.config}. The two injected beans are proxies, like
 * Flask's module-level {@code g} and {@code current_app}: safe in a singleton, each call finds the context of
 * the request being served.
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class WhoAmIController {

    private final CurrentApp currentApp;
    private final G g;

    public WhoAmIController(CurrentApp currentApp, G g) {
        this.currentApp = currentApp;
        this.g = g;
    }

    @GetMapping("/whoami")
    public String whoami() {
        User user = g.get(User.KEY);
        // Values from application.yml may arrive as strings; get(key, type) converts them.
        String mailServer = currentApp.config().get("MAIL_SERVER", String.class);
        Boolean debug = currentApp.config().get("DEBUG", Boolean.class);
        return "%s on %s (mail via %s, debug=%s)".formatted(user.name(), currentApp.name(), mailServer, debug);
    }
}
