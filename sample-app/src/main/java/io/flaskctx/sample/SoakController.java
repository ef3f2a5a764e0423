package io.flaskctx.sample;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.Flask;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.Callable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints {@code benchmarks/soak.sh} drives to look for cross-request bleed: each request carries a
 * unique {@code X-Token}; a before hook puts it in {@code g}; the view answers with the token read back from
 * {@code g} as the body and the raw header, read straight from the request, as {@code X-Echo}. The two differ
 * only if a request saw another request's {@code g}, so the load generator checks them on every response.
 *
 * <p>{@code GET /soak} is a normal request, {@code GET /soak/async} reads {@code g} on Spring MVC's async
 * executor (a {@code Callable}), {@code POST /soak/session} also writes the token into the session cookie, and
 * {@code GET /soak/boom} throws, unhandled, so it ends in a 500 (and its contexts tear down with the error); it
 * checks {@code g} first and answers 409 on a mismatch, so a bleed there is seen too.
 *
 * <p>The controller is the blueprint {@code soak}, so its before hook runs for its own requests only, as
 * {@code bp.before_request} does in Flask; other requests of the app pay nothing for it.
 */
@Blueprint("soak")
@RestController
@RequestMapping("/soak")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class SoakController {

    /** The request header that carries the token. */
    public static final String TOKEN = "X-Token";
    /** The response header that echoes the request's header. */
    public static final String ECHO = "X-Echo";
    /** The response header that names the kind of request answered. */
    public static final String KIND = "X-Kind";

    private static final G.Key<String> KEY = G.Key.of("soak.token", String.class);

    /** Thrown by {@code /soak/boom} on purpose. */
    static final class SoakFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SoakFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final G g;

    public SoakController(G g) {
        this.g = g;
    }

    /** Flask's {@code before_request}: the token into {@code g}, for every request that carries one. */
    @BeforeRequest
    public void tokenIntoG(HttpServletRequest request) {
        String token = request.getHeader(TOKEN);
        if (token != null) {
            g.set(KEY, token);
        }
    }

    @GetMapping
    public ResponseEntity<String> normal(HttpServletRequest request) {
        return answer("normal", request.getHeader(TOKEN), g.get(KEY));
    }

    /** The token is read from {@code g} on the async executor's thread, where the contexts were copied. */
    @GetMapping("/async")
    public Callable<ResponseEntity<String>> async(HttpServletRequest request) {
        String echo = request.getHeader(TOKEN);
        return () -> answer("async", echo, Flask.g().get(KEY));
    }

    /** Writes the token into the session (so the response sets a signed cookie), then answers as normal. */
    @PostMapping("/session")
    public ResponseEntity<String> session(HttpServletRequest request) {
        String token = g.get(KEY);
        var session = Flask.session();
        session.put("soak.token", token);
        session.merge("soak.writes", 1, (a, b) -> ((Number) a).intValue() + 1);
        return answer("session", request.getHeader(TOKEN), String.valueOf(session.get("soak.token")));
    }

    @GetMapping("/boom")
    public ResponseEntity<String> boom(HttpServletRequest request) {
        String echo = request.getHeader(TOKEN);
        String token = g.get(KEY);
        if (echo == null || !echo.equals(token)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).header(KIND, "boom").header(ECHO, echo)
                    .body(String.valueOf(token));
        }
        throw new SoakFailure("thrown on purpose by /soak/boom");
    }

    private static ResponseEntity<String> answer(String kind, String echo, String token) {
        return ResponseEntity.ok().header(KIND, kind).header(ECHO, echo).body(String.valueOf(token));
    }
}
