package io.flaskctx.sample;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * What every real Flask app has, and nothing more: {@code @app.before_request} that puts the user in {@code g}
 * and {@code @app.after_request} that names it in a response header. {@code benchmarks/http.sh} turns it on
 * ({@code sample.bench-hooks.enabled=true}) in the leg with flaskctx; the leg without flaskctx does the same work
 * the plain Spring way ({@link BenchInterceptor}), so that the ratio measures the starter, not these bodies.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.bench-hooks.enabled")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class BenchHooks {

    /** The response header that names the user; {@link BenchInterceptor} sets the same one. */
    static final String USER_HEADER = "X-User";

    /**
     * Flask's {@code g.user = load_user()}: the user named by the request's {@code X-User} header.
     *
     * @param request the request
     * @param g the request's {@code g}
     */
    @BeforeRequest
    public void loadUser(HttpServletRequest request, G g) {
        g.set(User.KEY, userOf(request));
    }

    /**
     * Flask's {@code response.headers["X-User"] = g.user.name}.
     *
     * @param response the response, not yet committed
     * @param g the request's {@code g}
     */
    @AfterRequest
    public void nameUser(HttpServletResponse response, G g) {
        User user = g.get(User.KEY);
        if (user != null) {
            response.setHeader(USER_HEADER, user.name());
        }
    }

    /** The user the request names in its {@code X-User} header, or "anonymous". */
    static User userOf(HttpServletRequest request) {
        String name = request.getHeader(USER_HEADER);
        return new User(name == null || name.isBlank() ? "anonymous" : name);
    }
}
