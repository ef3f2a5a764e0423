package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.Markup;
import io.flaskctx.OutsideContextException;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import io.flaskctx.signals.AppContextPoppedEvent;
import io.flaskctx.signals.AppContextPushedEvent;
import io.flaskctx.signals.AppContextTearingDownEvent;
import io.flaskctx.signals.GotRequestExceptionEvent;
import io.flaskctx.signals.MessageFlashedEvent;
import io.flaskctx.signals.RequestFinishedEvent;
import io.flaskctx.signals.RequestStartedEvent;
import io.flaskctx.signals.RequestTearingDownEvent;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** CATALOGUE 3 "Signal order" and after_this_request, through MockMvc. */
@SpringBootTest(classes = SignalsTest.App.class, properties = {"flaskctx.app-name=signals",
        "flaskctx.config.SECRET_KEY=reference-secret-key"})
@AutoConfigureMockMvc
class SignalsTest {

    static final List<String> log = new CopyOnWriteArrayList<>();

    @Autowired
    MockMvc mvc;

    @Autowired
    FlaskApp app;

    @BeforeEach
    void clear() {
        log.clear();
    }

    @Test
    void aNormalRequestSendsTheSignalsInFlasksOrder() throws Exception {
        mvc.perform(get("/view"));
        assertThat(log).containsExactly("appcontext_pushed(current=true)", "request_started", "before_request1",
                "view", "after_request1", "request_finished", "teardown_request1", "request_tearing_down(exc=null)",
                "teardown_appcontext1", "appcontext_tearing_down(exc=null)", "appcontext_popped(current=false)");
    }

    @Test
    void anUnhandledErrorSendsGotRequestExceptionThenFinishesTheRequestAsA500() {
        // flask_lifecycle.out.json session_then_unhandled: got_request_exception, after hooks, request_finished
        assertThatThrownBy(() -> mvc.perform(get("/raise"))).isInstanceOf(ServletException.class);
        assertThat(log).containsExactly("appcontext_pushed(current=true)", "request_started", "before_request1",
                "view(raises)", "got_request_exception(view failed)", "after_request1", "request_finished",
                "teardown_request1",
                "request_tearing_down(exc=view failed)", "teardown_appcontext1",
                "appcontext_tearing_down(exc=view failed)", "appcontext_popped(current=false)");
    }

    @Test
    void flashSendsMessageFlashedWhereItIsCalledWithTheMessageAlreadyInTheSession() throws Exception {
        // message_flashed.json: sent by each flash(), from the view, after the session write
        mvc.perform(get("/flash"));
        assertThat(log).containsExactly("appcontext_pushed(current=true)", "request_started", "before_request1",
                "view", "message_flashed(signals, Saved!, message, flashes=1)",
                "message_flashed(signals, <b>Bad</b> input, error, flashes=2)", "view_end", "after_request1",
                "request_finished", "teardown_request1", "request_tearing_down(exc=null)", "teardown_appcontext1",
                "appcontext_tearing_down(exc=null)", "appcontext_popped(current=false)");
    }

    @Test
    void afterThisRequestRunsBeforeTheAppsAfterHooksInItsOwnOrder() throws Exception {
        // CATALOGUE 3: view, after_this_request#1, after_this_request#2, after_request2, after_request1
        mvc.perform(get("/after-this-request")).andExpect(header().string("X-First", "after_this_request#1"));
        assertThat(log).containsSubsequence("before_request1", "view", "after_this_request#0 (from before hook)",
                "after_this_request#1", "after_this_request#2", "after_request1", "request_finished");
        mvc.perform(get("/view"));
        assertThat(log.stream().filter(e -> e.startsWith("after_this_request")).count())
                .as("for this request only").isEqualTo(3);
    }

    @Test
    void afterThisRequestOutsideARequestFailsWithFlasksMessage() {
        assertThatThrownBy(() -> Flask.afterThisRequest(response -> { }))
                .isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("'after_this_request' can only be used when a request context is active");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Hooks.class, App.Views.class, App.Listeners.class})
    static class App {

        static final class Hooks {
            @BeforeRequest
            void beforeRequest1(HttpServletRequest request) {
                log.add("before_request1");
                if (request.getRequestURI().equals("/after-this-request")) {
                    Flask.afterThisRequest(response -> log.add("after_this_request#0 (from before hook)"));
                }
            }

            @AfterRequest
            void afterRequest1(HttpServletResponse response) {
                log.add("after_request1");
            }

            @TeardownRequest
            void teardownRequest1() {
                log.add("teardown_request1");
            }

            @TeardownAppContext
            void teardownAppcontext1() {
                log.add("teardown_appcontext1");
            }
        }

        static final class Listeners {
            @EventListener
            void pushed(AppContextPushedEvent event) {
                log.add("appcontext_pushed(current=" + Flask.hasAppContext() + ")");
            }

            @EventListener
            void started(RequestStartedEvent event) {
                log.add("request_started");
            }

            @EventListener
            void finished(RequestFinishedEvent event) {
                log.add("request_finished");
            }

            @EventListener
            void requestTearingDown(RequestTearingDownEvent event) {
                log.add("request_tearing_down(exc=" + message(event.error()) + ")");
            }

            @EventListener
            void appTearingDown(AppContextTearingDownEvent event) {
                log.add("appcontext_tearing_down(exc=" + message(event.error()) + ")");
            }

            @EventListener
            void popped(AppContextPoppedEvent event) {
                log.add("appcontext_popped(current=" + Flask.hasAppContext() + ")");
            }

            @EventListener
            void flashed(MessageFlashedEvent event) {
                List<?> flashes = (List<?>) Flask.session().get("_flashes");
                log.add("message_flashed(" + event.app().name() + ", " + event.message() + ", " + event.category()
                        + ", flashes=" + flashes.size() + ")");
            }

            @EventListener
            void exception(GotRequestExceptionEvent event) {
                log.add("got_request_exception(" + event.exception().getMessage() + ")");
            }

            private static String message(Throwable error) {
                return error == null ? "null" : error.getMessage();
            }
        }

        @RestController
        static final class Views {
            @GetMapping("/view")
            String view() {
                log.add("view");
                return "ok";
            }

            @GetMapping("/flash")
            String flash() {
                log.add("view");
                Flask.flash("Saved!");
                Flask.flash(Markup.of("<b>Bad</b> input"), "error");
                log.add("view_end");
                return "ok";
            }

            @GetMapping("/raise")
            String raise() {
                log.add("view(raises)");
                throw new IllegalArgumentException("view failed");
            }

            @GetMapping("/after-this-request")
            String afterThisRequest() {
                log.add("view");
                Flask.afterThisRequest(response -> {
                    log.add("after_this_request#1");
                    response.setHeader("X-First", "after_this_request#1");
                });
                Flask.afterThisRequest(response -> log.add("after_this_request#2"));
                return "ok";
            }
        }
    }
}
