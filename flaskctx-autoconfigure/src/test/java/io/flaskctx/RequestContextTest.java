package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** CATALOGUE sections 2 and 4: request contexts and the app contexts they push or reuse. */
class RequestContextTest {

    private final List<String> log = new ArrayList<>();

    @AfterEach
    void threadIsClean() {
        assertThat(CleanThread.wasLeftWithContexts()).as("test left a context pushed").isFalse();
    }

    private FlaskApp app(String name) {
        FlaskApp app = new FlaskApp(name);
        app.teardownRequest(error -> log.add("teardown_request " + name + "(" + error + ")"));
        app.teardownAppContext(error -> log.add("teardown_appcontext " + name + "(" + error + ")"));
        return app;
    }

    private static MockHttpServletRequest get(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServerName("localhost");
        return request;
    }

    @Test
    void withoutARequestContextRequestThrowsFlasksMessage() {
        // CATALOGUE 4: request outside a request raises RuntimeError(MSG_REQ), also inside a bare app context
        assertThat(Flask.hasRequestContext()).isFalse();
        assertThatThrownBy(Flask::request).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("Working outside of request context.\n\n")
                .hasMessageContaining("Flask.copyCurrentRequestContext().wrap(task)")
                .hasMessageContaining("CopyContextTaskDecorator");
        try (var ctx = app("one").appContext().push()) {
            assertThatThrownBy(Flask::request).isInstanceOf(OutsideContextException.class);
        }
    }

    @Test
    void pushingWithNoAppContextPushesAnImplicitOneAndPoppingPopsIt() {
        // CATALOGUE 2: test_request_context().push() pushes an app context; popping pops it too
        FlaskApp app = app("one");
        MockHttpServletRequest request = get("/a");
        try (var ctx = app.requestContext(request).push()) {
            assertThat(Flask.hasRequestContext()).isTrue();
            assertThat(Flask.request()).isSameAs(request);
            assertThat(Flask.currentApp()).isSameAs(app);
            assertThat(Globals.APP.depth()).isEqualTo(1);
        }
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
    }

    @Test
    void anAppContextOfTheSameAppIsReusedAndGIsShared() {
        // CATALOGUE 2: a value set before the request is visible inside, one set inside is visible after
        FlaskApp app = app("one");
        try (var appCtx = app.appContext().push()) {
            Flask.g().set("before", 1);
            try (var req = app.requestContext(get("/")).push()) {
                assertThat(Flask.g()).isSameAs(appCtx.g());
                assertThat(Flask.g().get("before")).isEqualTo(1);
                Flask.g().set("during", 2);
                assertThat(Globals.APP.depth()).isEqualTo(1);
            }
            assertThat(Flask.g().get("during")).isEqualTo(2);
            assertThat(log).containsExactly("teardown_request one(null)");
        }
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
    }

    @Test
    void anAppContextOfAnotherAppGetsANewOneAndComesBackAfterwards() {
        // CATALOGUE 2: a different app pushes a new app context; the outer g comes back
        FlaskApp outer = app("outer");
        FlaskApp inner = app("inner");
        try (var appCtx = outer.appContext().push()) {
            Flask.g().set("x", "outer");
            try (var req = inner.requestContext(get("/")).push()) {
                assertThat(Flask.currentApp()).isSameAs(inner);
                assertThat(Flask.g().contains("x")).isFalse();
            }
            assertThat(Flask.currentApp()).isSameAs(outer);
            assertThat(Flask.g().get("x")).isEqualTo("outer");
        }
    }

    @Test
    void nestedRequestContextsOfOneAppShareGAndRestoreTheOuterRequest() {
        // CATALOGUE 2: nested test_request_context of the same app shares g; request.path restored
        FlaskApp app = app("one");
        try (var outer = app.requestContext(get("/outer")).push()) {
            Flask.g().set("v", 1);
            try (var inner = app.requestContext(get("/inner")).push()) {
                assertThat(Flask.request().getRequestURI()).isEqualTo("/inner");
                assertThat(Flask.g().get("v")).isEqualTo(1);
            }
            assertThat(Flask.request().getRequestURI()).isEqualTo("/outer");
        }
    }

    @Test
    void nestedRequestContextsOfTwoAppsSwitchCurrentApp() {
        // CATALOGUE 5: nested request contexts of app A and then B switch current_app and back
        FlaskApp a = app("A");
        FlaskApp b = app("B");
        a.config().put("FLAVOUR", "a");
        b.config().put("FLAVOUR", "b");
        try (var outer = a.requestContext(get("/")).push()) {
            try (var inner = b.requestContext(get("/")).push()) {
                assertThat(CurrentApp.proxy().config().get("FLAVOUR")).isEqualTo("b");
            }
            assertThat(CurrentApp.proxy().config().get("FLAVOUR")).isEqualTo("a");
        }
    }

    @Test
    void theSameRequestContextPushedTwiceTearsDownOnceOnTheLastPop() {
        // CATALOGUE 4: 1st pop keeps it current with no teardown; 2nd pop tears down and pops the app context
        FlaskApp app = app("one");
        RequestContext ctx = app.requestContext(get("/"));
        ctx.push();
        ctx.push();
        ctx.pop();
        assertThat(log).isEmpty();
        assertThat(Flask.hasRequestContext()).isTrue();
        assertThat(Flask.hasAppContext()).isTrue();
        ctx.pop();
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
    }

    @Test
    void teardownRequestRunsWithTheRequestStillCurrentAndAppTeardownAfterIt() {
        FlaskApp app = new FlaskApp("one");
        app.teardownRequest(error -> log.add("request hook sees request=" + Flask.hasRequestContext()));
        app.teardownAppContext(error -> log.add("app hook sees request=" + Flask.hasRequestContext()
                + " app=" + Flask.hasAppContext()));
        app.requestContext(get("/")).push().pop(new IllegalStateException("unhandled"));
        assertThat(log).containsExactly("request hook sees request=true", "app hook sees request=false app=true");
    }

    @Test
    void theUnhandledErrorReachesBothKindsOfTeardown() {
        FlaskApp app = app("one");
        app.requestContext(get("/")).push().pop(new IllegalArgumentException("view failed"));
        assertThat(log).containsExactly(
                "teardown_request one(java.lang.IllegalArgumentException: view failed)",
                "teardown_appcontext one(java.lang.IllegalArgumentException: view failed)");
    }

    @Test
    void aTeardownRequestHookThatNeverPopsWhatItPushedLeavesNothingOnTheThread() {
        FlaskApp app = app("one");
        FlaskApp other = app("other");
        app.teardownRequest(error -> other.appContext().push()); // never popped
        long leaked = ContextStats.leaked(other, ContextType.APP);
        RequestContext ctx = app.requestContext(get("/")).push();
        ctx.pop();
        assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
        assertThat(ContextStats.leaked(other, ContextType.APP) - leaked).isEqualTo(1);
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext other(null)",
                "teardown_appcontext one(null)");
        assertThatIllegalStateException().isThrownBy(ctx::pop).withMessageContaining("no request context is pushed");
        assertThat(log).hasSize(3);
    }

    @Test
    void inStrictModeALeakingTeardownRequestHookFailsThePopOnlyOnceEverythingIsPopped() {
        FlaskApp app = app("one");
        app.setStrict(true);
        FlaskApp other = new FlaskApp("other");
        app.teardownRequest(error -> other.appContext().push()); // never popped
        app.teardownRequest(error -> {
            throw new IllegalStateException("hook failed");
        });
        RequestContext ctx = app.requestContext(get("/")).push();
        assertThatThrownBy(ctx::pop).isInstanceOfSatisfying(ContextLeakException.class, leak -> {
            assertThat(leak.leaks()).singleElement().satisfies(one -> {
                assertThat(one.type()).isEqualTo(ContextType.APP);
                assertThat(one.context()).startsWith("<AppContext of 'other'");
            });
            assertThat(leak.getSuppressed()).extracting(Throwable::getMessage).containsExactly("hook failed");
            assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
        });
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
    }

    @Test
    void anExceptionInRunReachesBothKindsOfTeardownAndPropagates() {
        // CATALOGUE 3: with app.test_request_context(): raise ZeroDivisionError
        FlaskApp app = app("one");
        ArithmeticException boom = new ArithmeticException("/ by zero");
        assertThatThrownBy(() -> app.requestContext(get("/")).run(() -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(log).containsExactly("teardown_request one(" + boom + ")", "teardown_appcontext one(" + boom + ")");
        assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
    }

    @Test
    void callReturnsTheResultAndTearsDownWithNullOnANormalExit() throws Exception {
        FlaskApp app = app("one");
        assertThat(app.requestContext(get("/called")).call(() -> Flask.request().getRequestURI()))
                .isEqualTo("/called");
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
    }

    @Test
    void callPassesACheckedExceptionToTheTeardownAndRethrowsIt() {
        FlaskApp app = app("one");
        java.io.IOException failure = new java.io.IOException("disk");
        assertThatThrownBy(() -> app.requestContext(get("/")).call(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(log).containsExactly("teardown_request one(" + failure + ")",
                "teardown_appcontext one(" + failure + ")");
    }

    @Test
    void wrongOrderPopThrowsAndChangesNothing() {
        // Difference from Flask: Flask raises AssertionError after popping both (CATALOGUE 4 "Wrong request-context pop").
        FlaskApp app = app("rcs");
        RequestContext a = app.requestContext(get("/a")).push();
        RequestContext b = app.requestContext(get("/b")).push();
        assertThatIllegalStateException().isThrownBy(a::pop)
                .withMessageContaining("Popped wrong request context: " + b + " is current, not " + a);
        assertThat(b.toString()).startsWith("<RequestContext 'http://localhost/b' [GET] of 'rcs' #");
        assertThat(log).isEmpty();
        assertThat(Flask.request().getRequestURI()).isEqualTo("/b");
        b.pop();
        a.pop();
        assertThat(log).containsExactly("teardown_request rcs(null)", "teardown_request rcs(null)",
                "teardown_appcontext rcs(null)");
    }

    @Test
    void poppingWhileAnAppContextPushedInsideIsCurrentThrowsAndChangesNothing() {
        FlaskApp app = app("one");
        RequestContext request = app.requestContext(get("/")).push();
        AppContext inside = app.appContext().push();
        assertThatIllegalStateException().isThrownBy(request::pop)
                .withMessageContaining("was pushed inside it and is still current");
        assertThat(log).isEmpty();
        inside.pop();
        request.pop();
        assertThat(log).containsExactly("teardown_appcontext one(null)", "teardown_request one(null)",
                "teardown_appcontext one(null)");
    }

    @Test
    void throwingTeardownRequestHooksStillPopEverythingAndRunTheRest() {
        // Difference from Flask: Flask skips teardown_request1 when teardown_request2 raises (CATALOGUE 3).
        FlaskApp app = new FlaskApp("one");
        app.teardownRequest(error -> log.add("teardown_request1"));
        app.teardownRequest(error -> {
            log.add("teardown_request2");
            throw new IllegalStateException("teardown_request2 failed");
        });
        app.teardownAppContext(error -> {
            log.add("teardown_appcontext1(" + error + ")");
            throw new IllegalArgumentException("teardown_appcontext1 failed");
        });
        RequestContext ctx = app.requestContext(get("/")).push();
        assertThatThrownBy(ctx::pop).hasMessage("teardown_request2 failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("teardown_appcontext1 failed"));
        assertThat(log).containsExactly("teardown_request2", "teardown_request1", "teardown_appcontext1(null)");
    }

    @Test
    void theDepthGuardAppliesToRequestContextsAndLeavesNothingBehind() {
        FlaskApp app = app("one");
        app.setMaxContextDepth(2);
        RequestContext first = app.requestContext(get("/1")).push();
        RequestContext second = app.requestContext(get("/2")).push();
        assertThatIllegalStateException().isThrownBy(() -> app.requestContext(get("/3")).push())
                .withMessageContaining("already holds 2 contexts");
        assertThat(Globals.REQUEST.depth()).isEqualTo(2);
        assertThat(Globals.APP.depth()).isEqualTo(1);
        second.pop();
        first.pop();
    }

    @Test
    void reprShowsUrlMethodAndApp() {
        // CATALOGUE 4: <RequestContext 'http://example.org/root/p/q?x=1&x=2' [POST] of trc>
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/root/p/q");
        request.setServerName("example.org");
        request.setQueryString("x=1&x=2");
        assertThat(app("trc").requestContext(request).toString())
                .matches("<RequestContext 'http://example\\.org/root/p/q\\?x=1&x=2' \\[POST\\] of 'trc' #[0-9a-f]+>");
    }

    @Test
    void aPopFromAThreadThatDidNotPushIsRefusedAndTheOwnersStacksAreUntouched() throws Exception {
        FlaskApp app = app("one");
        MockHttpServletRequest request = get("/a");
        Throwable failure;
        try (var ctx = app.requestContext(request).push()) {
            failure = AnotherThread.thrownBy(ctx::pop);
            // the refused pop changed nothing here: both contexts are still current and no teardown ran
            assertThat(Flask.request()).isSameAs(request);
            assertThat(Flask.currentApp()).isSameAs(app);
            assertThat(log).isEmpty();
        }
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no request context is pushed on this thread");
        assertThat(log).containsExactly("teardown_request one(null)", "teardown_appcontext one(null)");
        assertThat(Flask.hasAppContext()).isFalse();
    }
}
