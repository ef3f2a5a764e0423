package io.flaskctx.sample;

import io.flaskctx.AfterRequest;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Flask's {@code @app.after_request}: one place that decorates every response, whatever view produced it.
 * It runs before the response is committed, so headers still count.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.hooks.enabled", matchIfMissing = true)
public class AppHeaders {

    @AfterRequest
    public void addHeaders(HttpServletResponse response, FlaskApp app, G g) {
        response.setHeader("X-App", app.name());
        User user = g.get(User.KEY);
        if (user != null) {
            response.setHeader("X-User", user.name());
        }
    }
}
