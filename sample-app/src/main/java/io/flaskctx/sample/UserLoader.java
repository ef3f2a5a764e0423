package io.flaskctx.sample;

import io.flaskctx.BeforeRequest;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Flask's {@code @app.before_request} that loads the user: it runs before every view, so no view has to look
 * at headers or take the user as a parameter. A real app would check a session or a token here.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.hooks.enabled", matchIfMissing = true)
public class UserLoader {

    /** First of the before hooks (the sample has another, for the soak): later hooks may need the user. */
    @BeforeRequest
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void loadUser(HttpServletRequest request, G g) {
        String name = request.getHeader("X-User");
        g.set(User.KEY, new User(name == null || name.isBlank() ? "anonymous" : name));
        // Returning nothing lets the request go on; a non-null return would answer it right here.
    }
}
