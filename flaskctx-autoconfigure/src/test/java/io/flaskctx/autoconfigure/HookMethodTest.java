package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.RequestContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A hook method is bound once, at start-up, to a call that picks its arguments by type from what the hook is
 * given: whatever their order, each parameter gets its object, and what the method throws reaches the caller as
 * it was thrown (a checked exception included, with no reflective wrapper). Both ways of making the call behave
 * so: compiled (a hidden class per hook, on a JVM) and interpreted (the handle from a field, as in a native image).
 */
class HookMethodTest {

    /** The beans' hook methods, with their parameters in unusual orders. */
    public static final class Hooks {
        final List<Object> seen = new ArrayList<>();

        public Object before(G g, FlaskApp app, HttpServletRequest request) {
            seen.add(g);
            seen.add(app);
            seen.add(request);
            return request.getParameter("answer");
        }

        public void after(G g, HttpServletResponse response, FlaskApp app, HttpServletRequest request) {
            seen.add(g);
            seen.add(response);
            seen.add(app);
            seen.add(request);
        }

        public void teardown(Throwable error, HttpServletRequest request) {
            seen.add(error);
            seen.add(request);
        }

        public void failing(HttpServletResponse response) throws IOException {
            throw new IOException("from the hook");
        }

        public void nothing() {
            seen.add("nothing");
        }
    }

    private static Method method(String name) {
        for (Method method : Hooks.class.getMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @ParameterizedTest(name = "compiled: {0}")
    @ValueSource(booleans = {true, false})
    void eachParameterGetsItsObjectWhateverItsPlace(boolean compile) {
        FlaskApp app = new FlaskApp("hooks");
        Hooks hooks = new Hooks();
        HookMethod.of(hooks, method("before"), HookMethod.Kind.BEFORE_REQUEST, compile).registerOn(app, null);
        HookMethod.of(hooks, method("after"), HookMethod.Kind.AFTER_REQUEST, compile).registerOn(app, null);
        HookMethod.of(hooks, method("teardown"), HookMethod.Kind.TEARDOWN_REQUEST, compile).registerOn(app, null);
        HookMethod.of(hooks, method("nothing"), HookMethod.Kind.AFTER_REQUEST, compile).registerOn(app, null);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        request.setParameter("answer", "short-circuit");
        MockHttpServletResponse response = new MockHttpServletResponse();
        IllegalStateException failure = new IllegalStateException("the request's");
        RequestContext ctx = app.requestContext(request).push();
        G g = Flask.g();
        assertThat(app.preprocessRequest(request)).isEqualTo("short-circuit");
        app.processResponse(response);
        // the teardown hook receives what ended the request
        ctx.pop(failure);
        // after hooks run in reverse registration order: "nothing" first
        assertThat(hooks.seen).containsExactly(g, app, request, "nothing", g, response, app, request, failure,
                request);
    }

    @ParameterizedTest(name = "compiled: {0}")
    @ValueSource(booleans = {true, false})
    void whatTheMethodThrowsReachesTheCallerAsThrown(boolean compile) {
        FlaskApp app = new FlaskApp("hooks");
        HookMethod.of(new Hooks(), method("failing"), HookMethod.Kind.AFTER_REQUEST, compile).registerOn(app, null);
        try (RequestContext ctx = app.requestContext(new MockHttpServletRequest("GET", "/")).push()) {
            assertThatThrownBy(() -> app.processResponse(new MockHttpServletResponse()))
                    .isExactlyInstanceOf(IOException.class).hasMessage("from the hook")
                    // the hook's own frame, called from flaskctx's: no reflective wrapper, no generated class
                    .satisfies(e -> assertThat(e.getStackTrace()[0].getMethodName()).isEqualTo("failing"))
                    .satisfies(e -> assertThat(e.getStackTrace()[1].getClassName()).isEqualTo(compile
                            ? HookMethod.class.getName() : HookCall.Interpreted.class.getName()));
        }
    }

    @Test
    void onAJvmTheCallIsCompiledOncePerHook() {
        Hooks hooks = new Hooks();
        HookMethod before = HookMethod.of(hooks, method("before"), HookMethod.Kind.BEFORE_REQUEST);
        HookMethod after = HookMethod.of(hooks, method("after"), HookMethod.Kind.AFTER_REQUEST);
        assertThat(before.compiled()).as("the hook's call is a compiled one").isTrue();
        assertThat(after.compiled()).isTrue();
        assertThat(HookMethod.of(hooks, method("after"), HookMethod.Kind.AFTER_REQUEST, false).compiled()).isFalse();
    }

    @Test
    void theHookIsNamedAfterItsMethod() {
        HookMethod hook = HookMethod.of(new Hooks(), method("nothing"), HookMethod.Kind.AFTER_REQUEST);
        assertThat(hook).hasToString(Hooks.class.getName() + ".nothing");
    }
}
