package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.Flask;
import io.flaskctx.TeardownRequest;
import io.flaskctx.autoconfigure.reports.ReportsController;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app of io/flaskctx/blueprint/blueprints.py in Spring: app hooks, a blueprint "admin" with its own hooks and
 * app-wide ones, a blueprint "users" nested in it, each hook recording its Flask name. A request parameter
 * {@code stop} names the before hook that answers the request instead.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BlueprintApp {

    @Bean
    ReportsController reportsController() {
        return new ReportsController();
    }

    /** Flask's ValueError, so that teardown hooks record the exception as Flask's repr does. */
    static final class ValueError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ValueError(String message) {
            super(message);
        }
    }

    @Component
    static final class Events {
        private final List<String> events = new ArrayList<>();

        synchronized void add(String event) {
            events.add(event);
        }

        synchronized List<String> drain() {
            List<String> drained = new ArrayList<>(events);
            events.clear();
            return drained;
        }

        Object before(String name) {
            add(name);
            return name.equals(Flask.request().getParameter("stop")) ? "short-circuit by " + name : null;
        }

        void teardown(String name, Throwable error) {
            add(name + "(" + (error == null ? "None" : error.getClass().getSimpleName() + "('" + error.getMessage()
                    + "')") + ")");
        }

        Map<String, Object> view(String endpoint) {
            add("view:" + endpoint);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("blueprint", Flask.blueprint());
            body.put("blueprints", Flask.blueprints());
            return body;
        }
    }

    /** The app's own hooks, registered first as in the Flask script: @Order puts them ahead of the controllers'. */
    @Component
    @Order(0)
    static class AppHooks {
        private final Events events;

        AppHooks(Events events) {
            this.events = events;
        }

        @BeforeRequest
        Object before_request1() {
            return events.before("app.before_request1");
        }

        @BeforeRequest
        Object before_request2() {
            return events.before("app.before_request2");
        }

        @AfterRequest
        void after_request1() {
            events.add("app.after_request1");
        }

        @AfterRequest
        void after_request2() {
            events.add("app.after_request2");
        }

        @TeardownRequest
        void teardown_request1(Throwable error) {
            events.teardown("app.teardown_request1", error);
        }

        @TeardownRequest
        void teardown_request2(Throwable error) {
            events.teardown("app.teardown_request2", error);
        }
    }

    @RestController
    static class AppController {
        private final Events events;

        AppController(Events events) {
            this.events = events;
        }

        @GetMapping("/")
        Map<String, Object> index() {
            return events.view("index");
        }
    }

    @Blueprint("admin")
    @RestController
    @RequestMapping("/admin")
    static class AdminController {
        private final Events events;

        AdminController(Events events) {
            this.events = events;
        }

        @GetMapping("/")
        Map<String, Object> index() {
            return events.view("admin.index");
        }

        @GetMapping("/fail")
        Map<String, Object> fail() {
            events.add("view:admin.fail");
            throw new ValueError("boom");
        }

        @PostMapping("/post-only")
        Map<String, Object> postOnly() {
            return events.view("admin.post_only");
        }

        @BeforeRequest
        Object before_request1() {
            return events.before("admin.before_request1");
        }

        @BeforeRequest
        Object before_request2() {
            return events.before("admin.before_request2");
        }

        @AfterRequest
        void after_request1() {
            events.add("admin.after_request1");
        }

        @AfterRequest
        void after_request2() {
            events.add("admin.after_request2");
        }

        @TeardownRequest
        void teardown_request1(Throwable error) {
            events.teardown("admin.teardown_request1", error);
        }

        @TeardownRequest
        void teardown_request2(Throwable error) {
            events.teardown("admin.teardown_request2", error);
        }

        @BeforeRequest(appRequest = true)
        Object before_app_request() {
            return events.before("admin.before_app_request");
        }

        @AfterRequest(appRequest = true)
        void after_app_request() {
            events.add("admin.after_app_request");
        }

        @TeardownRequest(appRequest = true)
        void teardown_app_request(Throwable error) {
            events.teardown("admin.teardown_app_request", error);
        }
    }

    /** Nested in "admin"; its after hooks are declared elsewhere-style too: with blueprint = "users". */
    @Blueprint(value = "users", parent = "admin")
    @RestController
    @RequestMapping("/admin/users")
    static class UsersController {
        private final Events events;

        UsersController(Events events) {
            this.events = events;
        }

        @GetMapping("/")
        Map<String, Object> index() {
            return events.view("admin.users.index");
        }

        @BeforeRequest
        Object before_request1() {
            return events.before("users.before_request1");
        }

        @BeforeRequest
        Object before_request2() {
            return events.before("users.before_request2");
        }

        @AfterRequest(blueprint = "users")
        void after_request1() {
            events.add("users.after_request1");
        }

        @AfterRequest(blueprint = "admin.users")
        void after_request2() {
            events.add("users.after_request2");
        }

        @TeardownRequest
        void teardown_request1(Throwable error) {
            events.teardown("users.teardown_request1", error);
        }

        @TeardownRequest
        void teardown_request2(Throwable error) {
            events.teardown("users.teardown_request2", error);
        }
    }
}
