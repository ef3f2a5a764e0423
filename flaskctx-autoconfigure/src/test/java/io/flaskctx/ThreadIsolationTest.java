package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.local.Race;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The seeds' Local demo made rigorous: many threads push their own request and app contexts, write to g,
 * yield, read back, and pop; no thread ever sees another's app, request or g, and every thread ends empty.
 */
class ThreadIsolationTest {

    @Test
    void manyThreadsNeverObserveAnotherThreadsContexts() throws Exception {
        int threads = 16;
        int rounds = 1_000;
        List<FlaskApp> apps = List.of(new FlaskApp("a"), new FlaskApp("b"), new FlaskApp("c"));
        List<String> found = Race.run(threads, (id, problems) -> {
            for (int r = 0; r < rounds; r++) {
                FlaskApp app = apps.get((id + r) % apps.size());
                String token = id + ":" + r;
                MockHttpServletRequest request = new MockHttpServletRequest("GET", "/" + token);
                try (var ctx = app.requestContext(request).push()) {
                    Flask.g().set("token", token);
                    FlaskApp other = apps.get((id + r + 1) % apps.size());
                    try (var nested = other.appContext().push()) {
                        Flask.g().set("token", "nested " + token);
                        Thread.yield();
                        check(problems, Flask.currentApp() == other, "nested app", token);
                        check(problems, ("nested " + token).equals(Flask.g().get("token")), "nested g", token);
                    }
                    Thread.yield();
                    check(problems, Flask.currentApp() == app, "app", token);
                    check(problems, Flask.request() == request, "request", token);
                    check(problems, token.equals(Flask.g().get("token")), "g", token);
                }
            }
            check(problems, !Flask.hasAppContext() && !Flask.hasRequestContext(), "empty at end", "t" + id);
            check(problems, Globals.APP.depth() == 0 && Globals.REQUEST.depth() == 0, "depth 0", "t" + id);
        });
        assertThat(found).isEmpty();
    }

    private static void check(List<String> problems, boolean ok, String what, String token) {
        if (!ok) {
            problems.add(what + " wrong for " + token);
        }
    }
}
