package io.flaskctx.sample;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.Flask;
import io.flaskctx.G;
import io.flaskctx.Session;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One login across several instances of this app behind a load balancer ({@code scripts/scale-out.sh}, the
 * README's "Running several instances"). The session is the only thing that crosses instances: with the cookie
 * store it travels in the browser's signed cookie, with {@code flaskctx.session.store=servlet} it is the
 * {@code HttpSession}, which Spring Session keeps in Redis under the {@code redis} profile. {@code g} and the
 * request stay in the process that serves the request.
 *
 * <p>Every answer says which instance served it ({@code X-Instance}, from {@code sample.instance}), who the
 * session says is logged in ({@code X-Session-User}), and the request's {@code X-Token} twice: as read back from
 * {@code g} ({@code X-G-Token}) and straight from the request ({@code X-Echo}), so a load generator sees a
 * request that got another request's {@code g}. A before hook counts the requests that started here and a
 * teardown hook those whose contexts tore down; {@code GET /cluster/stats} shows both, and so does the log
 * line written when the instance stops, after a graceful shutdown let the requests in flight finish.
 *
 * <p>The controller is the blueprint {@code cluster}: its hooks run for its own requests only, as a Flask
 * blueprint's {@code before_request} and {@code teardown_request} do.
 */
@Blueprint("cluster")
@RestController
@RequestMapping("/cluster")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class ClusterController implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterController.class);
    private static final G.Key<String> TOKEN = G.Key.of("cluster.token", String.class);
    private static final String PATH = "/cluster";
    private static final long MAX_SLEEP_MS = 5_000;

    private final G g;
    private final Session session;
    private final String instance;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong tornDown = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();

    public ClusterController(G g, Session session, @Value("${sample.instance:sample}") String instance) {
        this.g = g;
        this.session = session;
        this.instance = instance;
    }

    /** Whether the blueprint's hooks count this request: all of the blueprint's but the stats they report. */
    private static boolean ours(HttpServletRequest request) {
        return !request.getRequestURI().equals(PATH + "/stats");
    }

    /** Flask's {@code before_request}: counts the request and puts its token in {@code g}. */
    @BeforeRequest
    public void started(HttpServletRequest request) {
        if (ours(request)) {
            started.incrementAndGet();
            String token = request.getHeader(SoakController.TOKEN);
            if (token != null) {
                g.set(TOKEN, token);
            }
        }
    }

    /** Flask's {@code teardown_request}: counts the request's end and checks {@code g} still held its token. */
    @TeardownRequest
    public void tornDown(HttpServletRequest request) {
        if (ours(request)) {
            String token = request.getHeader(SoakController.TOKEN);
            if (token != null && !token.equals(Flask.g().get(TOKEN))) {
                mismatches.incrementAndGet();
            }
            tornDown.incrementAndGet();
        }
    }

    /**
     * Logs in: a new session id first (Flask-Session's {@code session.regenerate()}: an id planted in the browser
     * before the login is worth nothing after it), then {@code session["user"] = user} and a flashed welcome, as
     * a Flask login view would.
     *
     * @param user the user name
     * @return the answer every endpoint gives
     */
    @PostMapping("/login")
    public ResponseEntity<Map<String, Object>> login(@RequestParam String user, HttpServletRequest request) {
        session.regenerate();
        session.put("user", user);
        Flask.flash("welcome " + user + " (logged in on " + instance + ")");
        return answer(request, Map.of());
    }

    /**
     * Who the session says is logged in; {@code sleep} keeps the request in flight that long first (at most
     * 5 s), so a graceful shutdown has requests to wait for.
     *
     * @param sleep milliseconds to wait before answering
     * @return the answer every endpoint gives
     */
    @GetMapping("/me")
    public ResponseEntity<Map<String, Object>> me(@RequestParam(defaultValue = "0") long sleep,
            HttpServletRequest request) throws InterruptedException {
        if (sleep > 0) {
            Thread.sleep(Math.min(sleep, MAX_SLEEP_MS));
        }
        return answer(request, Map.of());
    }

    /**
     * Flashes a message for the next request that shows them, on whichever instance it lands.
     *
     * @param message the text
     * @return the answer every endpoint gives
     */
    @PostMapping("/flash")
    public ResponseEntity<Map<String, Object>> flash(@RequestParam String message, HttpServletRequest request) {
        Flask.flash(message);
        return answer(request, Map.of());
    }

    /** @return the flashed messages, taken out of the session ({@code get_flashed_messages()}) */
    @GetMapping("/flashes")
    public ResponseEntity<Map<String, Object>> flashes(HttpServletRequest request) {
        List<String> messages = new ArrayList<>(Flask.getFlashedMessages());
        return answer(request, Map.of("flashes", messages));
    }

    /** Logs out: {@code session.clear()} (the cookie is deleted, a server-side session invalidated). */
    @PostMapping("/logout")
    public ResponseEntity<Map<String, Object>> logout(HttpServletRequest request) {
        session.clear();
        return answer(request, Map.of());
    }

    /** @return this instance's counts: requests started, torn down, and {@code g} mismatches seen at teardown */
    @GetMapping("/stats")
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("instance", instance);
        stats.put("started", started.get());
        stats.put("tornDown", tornDown.get());
        stats.put("mismatches", mismatches.get());
        return stats;
    }

    private ResponseEntity<Map<String, Object>> answer(HttpServletRequest request, Map<String, Object> extra) {
        String user = session.get("user") instanceof String name ? name : null;
        String token = g.get(TOKEN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instance", instance);
        body.put("user", user);
        body.put("token", token);
        body.putAll(extra);
        var response = ResponseEntity.ok().header("X-Instance", instance);
        if (user != null) {
            response.header("X-Session-User", user);
        }
        if (token != null) {
            response.header("X-G-Token", token);
        }
        String echo = request.getHeader(SoakController.TOKEN);
        if (echo != null) {
            response.header(SoakController.ECHO, echo);
        }
        return response.body(body);
    }

    /** Runs as the instance stops, after a graceful shutdown let the requests in flight finish. */
    @Override
    public void destroy() {
        log.info("cluster instance {} stopped: {} requests started, {} torn down, {} g mismatches", instance,
                started.get(), tornDown.get(), mismatches.get());
    }
}
