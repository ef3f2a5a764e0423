package io.flaskctx.sample;

import io.flaskctx.FlaskApp;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.RestController;

/**
 * A deliberate bug: pushes an app context and never pops it. flaskctx pops it when the request ends, runs its
 * teardown, counts it in {@code flaskctx.contexts.leaked} and logs a WARN line naming this method, so the next
 * request on the thread starts clean. Watch {@code /actuator/metrics/flaskctx.contexts.leaked}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class LeakDemoController {

    private final FlaskApp app;

    public LeakDemoController(FlaskApp app) {
        this.app = app;
    }

    @GetMapping("/leak-demo")
    public String leak() {
        app.appContext().push(); // the bug: no pop, no try-with-resources
        return "pushed an app context and never popped it; see the WARN line in the log\n";
    }
}
