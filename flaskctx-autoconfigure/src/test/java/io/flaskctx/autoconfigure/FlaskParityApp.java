package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The app of flask_lifecycle.py in Spring: before_request1/2, after_request1/2 (registered in that order, so
 * after_request2 runs first), a teardown_request that records the error, routes that only take GET, only consume
 * or produce JSON, and error handlers for the exceptions the hooks throw.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({FlaskParityApp.Events.class, FlaskParityApp.Hooks.class, FlaskParityApp.Views.class,
        FlaskParityApp.Advice.class})
class FlaskParityApp {

    static final class AfterHookFailure extends RuntimeException {
        AfterHookFailure() {
            super("after_request2 failed");
        }
    }

    static final class BeforeHookFailure extends RuntimeException {
        BeforeHookFailure() {
            super("before1");
        }
    }

    static final class Events {
        private final List<String> events = new ArrayList<>();

        synchronized void add(String event) {
            events.add(event);
            notifyAll();
        }

        /** The events so far, once the request's teardown ran (it may finish after the client has its answer). */
        synchronized List<String> awaitTeardown() throws InterruptedException {
            long deadline = System.currentTimeMillis() + 5000;
            while (events.stream().noneMatch(e -> e.startsWith("teardown")) && System.currentTimeMillis() < deadline) {
                wait(50);
            }
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }

        synchronized void clear() {
            events.clear();
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
            if (request.getHeader("X-Short") != null) {
                return "short";
            }
            if (request.getHeader("X-Fail-Before") != null) {
                throw new BeforeHookFailure();
            }
            return null;
        }

        @BeforeRequest
        @Order(2)
        void beforeRequest2() {
            events.add("before_request2");
        }

        @AfterRequest
        @Order(1)
        void afterRequest1(HttpServletResponse response) {
            events.add("after_request1");
            response.setHeader("X-After-1", "yes");
        }

        @AfterRequest
        @Order(2)
        void afterRequest2(HttpServletRequest request, HttpServletResponse response) {
            events.add("after_request2");
            if (request.getParameter("failAfter") != null) {
                throw new AfterHookFailure();
            }
            response.setHeader("X-After-2", "yes");
        }

        @TeardownRequest
        void teardownRequest(Throwable error) {
            events.add("teardown_request(" + (error == null ? "null" : error.getClass().getSimpleName()) + ")");
        }
    }

    @RestController
    static final class Views {
        private final Events events;

        Views(Events events) {
            this.events = events;
        }

        @GetMapping("/")
        String index() {
            events.add("view");
            return "index";
        }

        @PostMapping(path = "/json", consumes = MediaType.APPLICATION_JSON_VALUE)
        String json(@RequestBody String body) {
            events.add("view");
            return body;
        }

        @GetMapping(path = "/produces-json", produces = MediaType.APPLICATION_JSON_VALUE)
        String producesJson() {
            events.add("view");
            return "{}";
        }

        @GetMapping("/session-then-raise")
        String sessionThenRaise() {
            events.add("view");
            Flask.session().put("user", "alice");
            throw new IllegalStateException("view failed");
        }

    }

    /** Error handlers for every route and for requests no route matched (Flask's app-wide errorhandler). */
    @RestControllerAdvice
    static final class Advice {
        private final Events events;

        Advice(Events events) {
            this.events = events;
        }

        @ExceptionHandler(AfterHookFailure.class)
        ResponseEntity<String> afterHookFailure(AfterHookFailure failure) {
            events.add("errorhandler(AfterHookFailure)");
            return ResponseEntity.status(418).body("handled");
        }

        @ExceptionHandler(BeforeHookFailure.class)
        ResponseEntity<String> beforeHookFailure(BeforeHookFailure failure) {
            events.add("errorhandler(BeforeHookFailure)");
            return ResponseEntity.status(409).body("before handled");
        }
    }
}
