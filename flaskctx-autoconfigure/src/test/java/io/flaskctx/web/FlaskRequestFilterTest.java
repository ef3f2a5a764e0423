package io.flaskctx.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.ContextLeakException;
import io.flaskctx.ContextStats;
import io.flaskctx.ContextType;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.SignalReceiver;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter alone, with mock requests (as Spring's RequestContextFilterTests): what the chain sees, what is left. */
class FlaskRequestFilterTest {

    private final FlaskApp app = new FlaskApp("unit");
    private final List<String> events = new ArrayList<>();
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    FlaskRequestFilterTest() {
        app.afterRequest(r -> events.add("after_request status=" + r.getStatus()));
        app.teardownRequest(e -> events.add("teardown_request(" + (e == null ? null : e.getMessage()) + ")"));
        app.teardownAppContext(e -> events.add("teardown_appcontext"));
    }

    @AfterEach
    void threadHoldsNothing() {
        assertThat(Flask.hasAppContext()).isFalse();
        assertThat(RequestDispatch.current()).isNull();
    }

    @Test
    void theChainRunsWithTheRequestContextAndTheRequestEndsWithTeardown() throws Exception {
        new FlaskRequestFilter(app).doFilter(request, response, chain(() -> {
            events.add("chain sees " + Flask.request().getRequestURI() + " of " + Flask.currentApp().name());
            assertThat(RequestDispatch.current()).isNotNull();
        }));
        assertThat(events).containsExactly("chain sees /orders of unit", "after_request status=200",
                "teardown_request(null)", "teardown_appcontext");
    }

    @Test
    void anExceptionFromTheChainIsRethrownAfterA500WithAfterHooksAndATeardownWithTheCause() {
        FilterChain failing = (req, res) -> {
            throw new ServletException("wrapped", new IllegalStateException("handler failed"));
        };
        assertThatThrownBy(() -> new FlaskRequestFilter(app).doFilter(request, response, failing))
                .isInstanceOf(ServletException.class);
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(events).containsExactly("after_request status=500", "teardown_request(handler failed)",
                "teardown_appcontext");
    }

    @Test
    void aRequestStartedReceiverThatThrowsEndsTheRequestLikeAnUnhandledExceptionAndLeavesNothing() {
        IllegalStateException failure = new IllegalStateException("receiver failed");
        app.setSignalReceiver(new SignalReceiver() {
            @Override
            public void requestStarted(FlaskApp started) {
                throw failure;
            }
        });
        assertThatThrownBy(() -> new FlaskRequestFilter(app).doFilter(request, response,
                chain(() -> events.add("chain")))).isSameAs(failure);
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(events).containsExactly("after_request status=500", "teardown_request(receiver failed)",
                "teardown_appcontext");
    }

    @Test
    void theFilterEnteredAgainWithinTheRequestPassesItThroughUnderTheSameContexts() throws Exception {
        FlaskRequestFilter filter = new FlaskRequestFilter(app);
        List<Object> seen = new ArrayList<>();
        // The filter registered twice, once around a wrapper of the request (a filter in between wrapped it).
        filter.doFilter(request, response, (outerRequest, outerResponse) -> {
            seen.add(Flask.g());
            filter.doFilter(new HttpServletRequestWrapper(request), outerResponse, chain(() -> {
                seen.add(Flask.g());
                events.add("handler");
            }));
        });
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).as("no second app context, so no second request context").isSameAs(seen.get(0));
        assertThat(events).containsExactly("handler", "after_request status=200", "teardown_request(null)",
                "teardown_appcontext");
    }

    @Test
    void anotherRequestInsideARequestGetsItsOwnRequestContextInTheSameAppContextAsInFlask() throws Exception {
        FlaskRequestFilter filter = new FlaskRequestFilter(app);
        MockHttpServletRequest inner = new MockHttpServletRequest("GET", "/inner");
        filter.doFilter(request, response, (outerRequest, outerResponse) -> filter.doFilter(inner,
                new MockHttpServletResponse(), chain(() -> events.add("inner sees " + Flask.request().getRequestURI()))));
        assertThat(events).containsExactly("inner sees /inner", "after_request status=200", "teardown_request(null)",
                "after_request status=200", "teardown_request(null)", "teardown_appcontext");
    }

    @Test
    void anErrorDispatchPassesThroughWithoutContexts() throws Exception {
        request.setDispatcherType(DispatcherType.ERROR);
        new FlaskRequestFilter(app).doFilter(request, response,
                chain(() -> events.add("context=" + Flask.hasRequestContext())));
        assertThat(events).containsExactly("context=false");
    }

    @Test
    void aRequestThatIsNotAnHttpOneIsRefusedSayingSo() {
        assertThatThrownBy(() -> new FlaskRequestFilter(app).doFilter(
                new jakarta.servlet.ServletRequestWrapper(request) { }, response, chain(() -> events.add("chain"))))
                .isInstanceOf(ServletException.class).hasMessageContaining("HTTP requests only");
        assertThat(events).isEmpty();
    }

    @Test
    void anExcludedPathGetsNoContext() throws Exception {
        request.setRequestURI("/actuator/health");
        FlaskRequestFilter filter = new FlaskRequestFilter(FlaskApps.of(app), List.of("/**"), List.of("/actuator/**"));
        filter.doFilter(request, response, chain(() -> events.add("context=" + Flask.hasRequestContext())));
        assertThat(events).containsExactly("context=false");
    }

    @Test
    void aRequestUnderAMountRunsWithTheMountedApp() throws Exception {
        FlaskApp admin = new FlaskApp("admin");
        request.setRequestURI("/admin/users");
        FlaskRequestFilter filter = new FlaskRequestFilter(FlaskApps.of(app).mount("/admin", admin), List.of("/**"),
                List.of());
        filter.doFilter(request, response, chain(() -> events.add("app=" + Flask.currentApp().name())));
        assertThat(events).containsExactly("app=admin");
    }

    @Test
    void anAsyncRequestLeavesTheThreadCleanAndTearsDownOnceWhenItsAsyncDispatchEnds() throws Exception {
        FlaskRequestFilter filter = new FlaskRequestFilter(app);
        request.setAsyncSupported(true);
        filter.doFilter(request, response, chain(() -> {
            Flask.g().set("user", "alice");
            request.startAsync();
        }));
        assertThat(Flask.hasRequestContext()).as("the container thread is released without the context").isFalse();
        assertThat(events).as("no teardown while the request is async").isEmpty();

        request.setDispatcherType(DispatcherType.ASYNC);
        request.setAsyncStarted(false);
        filter.doFilter(request, response, chain(() -> events.add("async dispatch sees " + Flask.g().get("user"))));
        assertThat(events).containsExactly("async dispatch sees alice", "after_request status=200",
                "teardown_request(null)", "teardown_appcontext");
    }

    @Test
    void theAfterHooksRunBeforeTheBodyIsOpenedAndOnlyOnce() throws Exception {
        app.afterRequest(r -> r.setHeader("X-After", "set before commit"));
        new FlaskRequestFilter(app).doFilter(request, response, (req, res) -> {
            res.getWriter().write("body");
            res.flushBuffer();
        });
        assertThat(response.getHeader("X-After")).isEqualTo("set before commit");
        assertThat(response.getContentAsString()).isEqualTo("body");
        assertThat(events).filteredOn(e -> e.startsWith("after_request")).hasSize(1);
    }

    @Test
    void anAfterHookFailureDiscardsTheBodyAndSends500() throws Exception {
        app.afterRequest(r -> {
            throw new IllegalArgumentException("after failed");
        });
        new FlaskRequestFilter(app).doFilter(request, response, (req, res) -> {
            var http = (jakarta.servlet.http.HttpServletResponse) res;
            http.setStatus(418);
            http.setHeader("Content-Length", "5");
            http.getWriter().write("handl");
        });
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentAsString()).isEmpty();
        assertThat(response.getHeader("Content-Length")).isNull();
        assertThat(events).containsExactly("teardown_request(after failed)", "teardown_appcontext");
    }

    @Test
    void leftoverContextsOnAServerThreadArePoppedBeforeTheRequestButATestsOwnStay() throws Exception {
        try (var outer = new FlaskApp("test").appContext().push()) {
            new FlaskRequestFilter(app).doFilter(request, response,
                    chain(() -> events.add("app=" + Flask.currentApp().name())));
            assertThat(Flask.currentApp().name()).as("a MockMvc test keeps its own context").isEqualTo("test");
        }
        assertThat(events).startsWith("app=unit");
    }

    @Test
    void aContextATeardownHookLeavesPushedIsPoppedCountedAndNothingStaysOnTheThread() throws Exception {
        app.teardownRequest(e -> app.appContext().push());
        new FlaskRequestFilter(app).doFilter(request, response, chain(() -> { }));
        assertThat(ContextStats.leaked(app, ContextType.APP)).isEqualTo(1);
        assertThat(events).containsExactly("after_request status=200", "teardown_request(null)",
                "teardown_appcontext", "teardown_appcontext");
    }

    @Test
    void inStrictModeALeakingRequestFailsAfterEverythingWasPopped() {
        app.setStrict(true);
        FlaskRequestFilter filter = new FlaskRequestFilter(app);
        assertThatThrownBy(() -> filter.doFilter(request, response, chain(() -> app.appContext().push())))
                .isInstanceOf(ContextLeakException.class).hasMessageContaining("flaskctx.strict=true")
                .hasMessageContaining("when GET /orders ended");
        assertThat(events).contains("teardown_request(null)");
    }

    private static FilterChain chain(Runnable body) {
        return new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                body.run();
            }
        };
    }
}
