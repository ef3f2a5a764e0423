package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * What the fast paths of issue 21 must keep: {@code g}'s array storage (many names, names that are equal but not
 * identical, the index past {@value AppCtxGlobals#INDEXED} names, a slow {@code computeIfAbsent} beside plain
 * writes), one {@code g} for a context and its copies although it is made lazily, the per-thread frame left with no
 * reference to anything pushed, and a last pop that skips the teardown only when there is nothing to run.
 */
class FastPathTest {

    private final FlaskApp app = new FlaskApp("fast");
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void manyNamesPastTheIndexKeepTheirValuesAndInsertionOrderThroughPopsAndResets() {
        try (var ctx = app.appContext().push()) {
            G g = Flask.g();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3 * AppCtxGlobals.INDEXED; i++) {
                // built at run time: equal to the names read below, never the same instance
                g.set(new StringBuilder("name-").append(i).toString(), i);
                expected.add("name-" + i);
            }
            for (int i = 0; i < 3 * AppCtxGlobals.INDEXED; i += 3) {
                assertThat(g.pop("name-" + i)).isEqualTo(i);
                expected.remove("name-" + i);
            }
            g.set("name-0", "again");
            expected.add("name-0");
            assertThat(g.names()).containsExactlyElementsOf(expected);
            for (int i = 1; i < 3 * AppCtxGlobals.INDEXED; i++) {
                Object value = i % 3 == 0 ? null : i;
                assertThat(g.get("name-" + i)).as("name-%d", i).isEqualTo(value);
                assertThat(g.contains("name-" + i)).isEqualTo(i % 3 != 0);
            }
            assertThat(g.get("name-0")).isEqualTo("again");
            assertThat(g.get("absent")).isNull();
            // back below the index: removing names returns to scanning, with the same answers
            for (String name : new ArrayList<>(g.names())) {
                if (!name.equals("name-1")) {
                    g.pop(name);
                }
            }
            assertThat(g.names()).containsExactly("name-1");
            assertThat(g.get(G.Key.of("name-1", Integer.class))).isEqualTo(1);
        }
    }

    @Test
    void readersOnOtherThreadsAlwaysSeeAWholeValueWhileNamesComeAndGo() throws Exception {
        AppContext root = app.appContext().push();
        G g = Flask.g();
        g.set("stable", "S");
        Set<String> wrong = ConcurrentHashMap.newKeySet();
        int readers = 3;
        CyclicBarrier start = new CyclicBarrier(readers + 1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            done.add(CompletableFuture.runAsync(Flask.copyCurrentAppContext().wrap(() -> {
                await(start);
                for (int i = 0; i < 20_000; i++) {
                    if (!"S".equals(Flask.g().get("stable"))) {
                        wrong.add("stable read as " + Flask.g().get("stable"));
                    }
                    Object value = Flask.g().get("churn-" + (i % 40));
                    if (value != null && !((String) value).startsWith("churn-" + (i % 40) + "=")) {
                        wrong.add("churn-" + (i % 40) + " read as " + value);
                    }
                }
            }), pool));
        }
        await(start);
        for (int i = 0; i < 20_000; i++) {
            String name = "churn-" + (i % 40);
            if (i % 2 == 0) {
                g.set(name, name + "=" + i);
            } else {
                g.pop(name, null);
            }
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        root.pop();
        assertThat(wrong).isEmpty();
    }

    @Test
    void aSlowComputeIfAbsentDoesNotHoldUpPlainWritesOfAnotherThread() throws Exception {
        try (var ctx = app.appContext().push()) {
            Runnable writer = Flask.copyCurrentAppContext().wrap(() -> Flask.g().set("written", "by the writer"));
            Object value = Flask.g().computeIfAbsent("slow", () -> {
                // a supplier that waits for work of another thread sharing this g: it would never end if that
                // thread's write needed the lock the supplier runs under
                try {
                    pool.submit(writer).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the writer was held up", e);
                }
                return Flask.g().get("written");
            });
            assertThat(value).isEqualTo("by the writer");
            assertThat(Flask.g().names()).containsExactly("written", "slow");
        }
    }

    @Test
    void aContextAndItsCopiesAgreeOnOneGMadeByWhicheverAsksFirst() throws Exception {
        for (int round = 0; round < 50; round++) {
            AppContext root = app.appContext().push();
            int threads = 4;
            CyclicBarrier start = new CyclicBarrier(threads);
            Set<G> seen = Collections.newSetFromMap(new ConcurrentHashMap<>());
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(CompletableFuture.runAsync(Flask.copyCurrentAppContext().wrap(() -> {
                    await(start);
                    seen.add(Flask.g());
                }), pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            seen.add(root.g());
            root.pop();
            assertThat(seen).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void theThreadsFrameHoldsNothingThatWasPushedOnceBothStacksAreEmpty() {
        FlaskApp other = new FlaskApp("other");
        RequestContext request = app.requestContext(new MockHttpServletRequest()).push();
        // deeper than the frame's first arrays, so that both grow
        List<AppContext> nested = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nested.add(other.appContext().push());
        }
        assertThat(Globals.APP.depth()).isEqualTo(11);
        Collections.reverse(nested);
        nested.forEach(AppContext::pop);
        request.pop();
        Object[] frame = ContextStack.frame();
        assertThat(frame[0]).isNull();
        assertThat(frame[1]).isNull();
        assertThat((int[]) frame[2]).containsExactly(0, 0);
        assertThat((Object[]) frame[3]).containsOnlyNulls();
        assertThat((Object[]) frame[4]).containsOnlyNulls();
    }

    @Test
    void aTeardownHookOrReceiverAddedWhileAContextIsPushedStillRunsAtItsPop() {
        List<String> ran = new ArrayList<>();
        AppContext ctx = app.appContext().push();
        RequestContext request = app.requestContext(new MockHttpServletRequest()).push();
        app.teardownRequest(error -> ran.add("teardown_request"));
        app.teardownAppContext(error -> ran.add("teardown_appcontext"));
        request.pop();
        assertThat(ran).containsExactly("teardown_request");
        app.setSignalReceiver(new SignalReceiver() {
            @Override
            public void appcontextPopped(FlaskApp sender) {
                ran.add("appcontext_popped");
            }
        });
        ctx.pop();
        assertThat(ran).containsExactly("teardown_request", "teardown_appcontext", "appcontext_popped");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
