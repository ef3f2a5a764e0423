package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.CurrentApp;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web app that logs every hook, as t3_lifecycle.py does: two hooks of each kind, registered in the order
 * before_request1, before_request2 (and likewise for the others) through {@code @Order}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({LifecycleApp.Events.class, LifecycleApp.Hooks.class, LifecycleApp.Views.class})
class LifecycleApp {

    static final class Events {
        private final List<String> events = new ArrayList<>();

        synchronized void add(String event) {
            events.add(event);
        }

        synchronized List<String> drain() {
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }
    }

    static final class Hooks {
        private final Events events;

        Hooks(Events events) {
            this.events = events;
        }

        @BeforeRequest
        @Order(1)
        Object beforeRequest1(HttpServletRequest request) {
            events.add("before_request1");
            if (request.getParameter("stop1") != null) {
                return ResponseEntity.status(202).header("X-Stopped-By", "before_request1").body("stopped");
            }
            if (request.getParameter("fail1") != null) {
                throw new IllegalArgumentException("before1");
            }
            return null;
        }

        @BeforeRequest
        @Order(2)
        Object beforeRequest2(HttpServletRequest request, G g) {
            events.add("before_request2");
            g.set("user", "alice");
            return request.getParameter("stop2") != null ? "stopped by before_request2" : null;
        }

        @AfterRequest
        @Order(1)
        void afterRequest1(HttpServletResponse response) {
            events.add("after_request1");
            response.setHeader("X-After", "after_request1");
        }

        @AfterRequest
        @Order(2)
        void afterRequest2(HttpServletResponse response, G g, FlaskApp app) {
            events.add("after_request2");
            response.setHeader("X-View", String.valueOf(g.get("view")));
            response.setHeader("X-App", app.name());
        }

        @TeardownRequest
        @Order(1)
        void teardownRequest1(Throwable error) {
            events.add("teardown_request1(" + message(error) + ")");
        }

        @TeardownRequest
        @Order(2)
        void teardownRequest2(Throwable error, HttpServletRequest request) {
            events.add("teardown_request2(" + message(error) + ")");
            if (request.getParameter("failTeardown") != null) {
                throw new IllegalStateException("teardown_request2 failed");
            }
        }

        @TeardownAppContext
        @Order(1)
        void teardownAppcontext1(Throwable error) {
            events.add("teardown_appcontext1(" + message(error) + ")");
        }

        @TeardownAppContext
        @Order(2)
        void teardownAppcontext2(Throwable error, G g) {
            events.add("teardown_appcontext2(" + message(error) + ") g.view=" + g.get("view"));
        }

        private static String message(Throwable error) {
            return error == null ? "null" : error.getClass().getSimpleName() + ":" + error.getMessage();
        }
    }

    @RestController
    static final class Views {
        private final Events events;
        private final CurrentApp currentApp;
        private final G g;

        Views(Events events, CurrentApp currentApp, G g) {
            this.events = events;
            this.currentApp = currentApp;
            this.g = g;
        }

        @GetMapping("/view")
        String view() {
            events.add("view");
            g.set("view", "seen");
            return g.get("user") + " on " + currentApp.name();
        }

        @GetMapping("/raise")
        String raise() {
            events.add("view(raises)");
            g.set("view", "raised");
            throw new IllegalArgumentException("view failed");
        }

        @GetMapping("/unhandled")
        String unhandled() {
            events.add("view(raises)");
            throw new UnsupportedOperationException("view failed");
        }

        @GetMapping("/empty")
        ResponseEntity<Void> empty() {
            events.add("view");
            return ResponseEntity.noContent().build();
        }

        @GetMapping("/direct")
        void direct(HttpServletResponse response) throws IOException {
            events.add("view");
            response.setContentType("text/plain");
            response.getWriter().write("written directly");
        }

        @GetMapping("/excluded/context")
        String excluded() {
            return "request context: " + Flask.hasRequestContext();
        }

        @ExceptionHandler(IllegalArgumentException.class)
        ResponseEntity<String> handle(IllegalArgumentException e) {
            events.add("errorhandler(" + e.getMessage() + ") g.view=" + g.get("view"));
            g.set("view", "handled");
            return ResponseEntity.status(418).body("handled " + e.getMessage());
        }
    }
}
