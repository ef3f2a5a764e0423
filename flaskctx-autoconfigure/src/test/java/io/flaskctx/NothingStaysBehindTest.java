package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.flaskctx.local.Gc;
import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A pooled thread whose stacks are empty holds no reference to any context, g value, app or request: once
 * everything else lets go of them, the garbage collector can take them although the thread lives on.
 */
class NothingStaysBehindTest {

    @Test
    void aPooledThreadKeepsNoReferenceAfterItsStacksEmpty() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            WeakReference<?>[] refs = pool.submit(() -> {
                FlaskApp app = new FlaskApp("transient");
                MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
                Object value = new Object();
                RequestContext requestContext = app.requestContext(request).push();
                AppContext appContext = Globals.APP.top();
                AppContext nested = new FlaskApp("nested").appContext().push();
                Flask.g().set("value", value);
                WeakReference<?>[] taken = {
                    new WeakReference<>(app), new WeakReference<>(request), new WeakReference<>(value),
                    new WeakReference<>(requestContext), new WeakReference<>(appContext),
                    new WeakReference<>(nested), new WeakReference<>(nested.g())};
                nested.pop();
                requestContext.pop();
                return taken;
            }).get(10, TimeUnit.SECONDS);
            // the same pooled thread is still alive and idle
            assertThat(pool.submit(() -> Flask.hasAppContext() || Flask.hasRequestContext()).get()).isFalse();
            for (WeakReference<?> ref : refs) {
                assertThat(Gc.collects(ref)).as("still reachable: %s", ref.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFailedPushLeavesNothingBehindEither() throws Exception {
        FlaskApp app = new FlaskApp("guarded");
        app.setMaxContextDepth(1);
        AppContext first = new FlaskApp("other").appContext().push();
        WeakReference<Object> ref = pushFails(app);
        assertThat(Flask.hasRequestContext()).isFalse();
        first.pop();
        assertThat(Flask.hasAppContext()).isFalse();
        assertThat(Gc.collects(ref)).isTrue();
    }

    private static WeakReference<Object> pushFails(FlaskApp app) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        assertThatIllegalStateException().isThrownBy(() -> app.requestContext(request).push())
                .withMessageContaining("already holds 1 contexts");
        return new WeakReference<>(request);
    }
}
