package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web app with t6_sessions.py's views, on a clock frozen at the vectors' second (1700000000), so that the
 * cookies it writes can be compared with Flask's.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({SessionApp.Views.class, SessionApp.Hooks.class})
class SessionApp {

    static final long FROZEN = 1_700_000_000L;

    @Bean
    Clock clock() {
        return Clock.fixed(Instant.ofEpochSecond(FROZEN), ZoneOffset.UTC);
    }

    /** The session as the view saw it, keys sorted: {@code {user=alice}}. */
    static String seen(Map<String, Object> session) {
        return new TreeMap<>(session).toString();
    }

    static final class Hooks {

        @BeforeRequest
        void login(HttpServletRequest request) {
            String user = request.getHeader("X-Login");
            if (user != null) {
                Flask.session().put("user", user);
            }
        }

        @AfterRequest
        void stamp(HttpServletRequest request) {
            if (request.getParameter("stamp") != null) {
                // Flask saves the session after the after_request hooks: this write reaches the cookie
                Flask.session().put("stamped", true);
            }
        }
    }

    @RestController
    static final class Views {

        private final Session session;

        Views(Session session) {
            this.session = session;
        }

        @GetMapping("/read")
        String read() {
            return seen(Flask.session());
        }

        @GetMapping("/set")
        String set(@RequestParam(defaultValue = "user") String key, @RequestParam(defaultValue = "alice") String value) {
            Flask.session().put(key, value);
            return "set";
        }

        @GetMapping("/permanent")
        String permanent() {
            Flask.session().put("user", "alice");
            Flask.session().setPermanent(true);
            return "permanent";
        }

        /** A login view: a new session id first (session.regenerate()), then the user. */
        @GetMapping("/login")
        String login(@RequestParam String user) {
            Flask.session().regenerate();
            Flask.session().put("user", user);
            return "logged in";
        }

        /** Stores {@code bytes} characters that hardly compress (base64 of SHA-256 digests): a cookie too large. */
        @GetMapping("/big")
        String big(@RequestParam int bytes) throws Exception {
            StringBuilder blob = new StringBuilder();
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (int i = 0; blob.length() < bytes; i++) {
                blob.append(java.util.Base64.getEncoder().encodeToString(sha.digest(String.valueOf(i).getBytes())));
            }
            Flask.session().put("blob", blob.substring(0, bytes));
            return "stored " + bytes;
        }

        @GetMapping("/touch-nothing")
        String nothing() {
            return "nothing";
        }

        @GetMapping("/contains")
        String contains() {
            return String.valueOf(Flask.session().containsKey("x"));
        }

        @GetMapping("/remove")
        String remove(@RequestParam String key) {
            return String.valueOf(Flask.session().remove(key));
        }

        @GetMapping("/set-then-unmodified")
        String setThenUnmodified() {
            Flask.session().put("user", "mallory");
            Flask.session().setModified(false);
            return "unmodified";
        }

        @GetMapping("/clear-then-unmodified")
        String clearThenUnmodified() {
            Flask.session().clear();
            Flask.session().setModified(false);
            return "unmodified";
        }

        /** Sends each {@code line} parameter as a Vary line of its own, then reads (or with {@code write}, writes) the session. */
        @GetMapping("/vary")
        String vary(HttpServletRequest request, HttpServletResponse response) {
            for (String line : request.getParameterValues("line")) {
                response.addHeader("Vary", line);
            }
            if (request.getParameter("write") != null) {
                Flask.session().put("user", "bob");
            }
            return seen(Flask.session());
        }

        @GetMapping("/clear")
        String clear() {
            Flask.session().clear();
            return "cleared";
        }

        @GetMapping("/proxy")
        String proxy() {
            session.put("via", "proxy");
            return seen(session);
        }

        @GetMapping("/flash")
        String flash(@RequestParam String message, @RequestParam(defaultValue = "message") String category) {
            Flask.flash(message, category);
            return "flashed";
        }

        @GetMapping("/flashes")
        String flashes(@RequestParam(required = false) String category) {
            return category == null ? Flask.getFlashedMessagesWithCategories().toString()
                    : Flask.getFlashedMessages(category).toString();
        }
    }
}
