package io.flaskctx.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.ContextCopy;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Micrometer context-propagation carries flaskctx's contexts, found through ServiceLoader. */
class FlaskContextAccessorTest {

    private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

    @Test
    void theAccessorIsRegisteredThroughServiceLoader() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anyMatch(accessor -> FlaskContextAccessor.KEY.equals(accessor.key()));
    }

    @Test
    void aSnapshotRunsWorkWithTheSameGAndTearsDownOnceAfterIt() throws Exception {
        FlaskApp app = new FlaskApp("propagated");
        List<String> log = new CopyOnWriteArrayList<>();
        app.teardownAppContext(error -> log.add("teardown g.v=" + Flask.g().get("v")));
        ExecutorService pool = ContextExecutorService.wrap(Executors.newSingleThreadExecutor(),
                () -> snapshots.captureAll());
        try {
            String seen;
            try (var ctx = app.appContext().push()) {
                Flask.g().set("v", "caller");
                seen = pool.submit(() -> {
                    Flask.g().set("v", "worker");
                    return Flask.currentApp().name();
                }).get(5, TimeUnit.SECONDS);
            }
            assertThat(seen).isEqualTo("propagated");
            for (int i = 0; i < 100 && log.isEmpty(); i++) {
                Thread.sleep(10);
            }
            assertThat(log).containsExactly("teardown g.v=worker");
            assertThat(pool.submit(Flask::hasAppContext).get()).as("the worker is left clean").isFalse();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSnapshotOfARequestHandedOffCarriesNoContextsUntilTheCopyHandedOffIsEntered() throws Exception {
        FlaskApp app = new FlaskApp("handed");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/handed")).push()) {
            ContextCopy handedOff = ContextCopy.handOffCurrentRequest();
            Callable<String> seen = () -> Flask.hasRequestContext() ? Flask.request().getRequestURI() : "nothing";
            assertThat(pool.submit(snapshots.captureAll().wrap(seen)).get(5, TimeUnit.SECONDS))
                    .as("the copy handed off carries the request").isEqualTo("nothing");
            pool.submit(() -> {
                try (var scope = handedOff.enter()) {
                    return Flask.request().getRequestURI();
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(pool.submit(snapshots.captureAll().wrap(seen)).get(5, TimeUnit.SECONDS)).isEqualTo("/handed");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aSnapshotWithoutContextsLeavesTheTargetThreadsOwnInPlace() {
        ContextSnapshot empty = snapshots.captureAll();
        FlaskApp app = new FlaskApp("own");
        try (var ctx = app.appContext().push()) {
            try (ContextSnapshot.Scope scope = empty.setThreadLocals()) {
                assertThat(Flask.currentApp().name()).isEqualTo("own");
            }
            assertThat(Flask.currentApp().name()).isEqualTo("own");
        }
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void restoringPopsExactlyWhatTheSnapshotPushed() {
        FlaskApp outer = new FlaskApp("outer");
        FlaskApp inner = new FlaskApp("inner");
        ContextSnapshot snapshot;
        try (var ctx = inner.appContext().push()) {
            snapshot = snapshots.captureAll();
        }
        try (var ctx = outer.appContext().push()) {
            try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
                assertThat(Flask.currentApp().name()).isEqualTo("inner");
            }
            assertThat(Flask.currentApp().name()).isEqualTo("outer");
        }
    }
}
