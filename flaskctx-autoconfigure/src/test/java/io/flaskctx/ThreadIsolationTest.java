package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
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
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(problems).isEmpty();
    }

    private static void check(List<String> problems, boolean ok, String what, String token) {
        if (!ok) {
            problems.add(what + " wrong for " + token);
        }
    }
}
