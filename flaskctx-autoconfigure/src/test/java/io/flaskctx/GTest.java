package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.local.Race;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CATALOGUE section 2 (t2_g.py): g's operations, through the g proxy as users reach it. */
class GTest {

    private static final G.Key<Integer> COUNT = G.Key.of("count", Integer.class);

    private final FlaskApp app = new FlaskApp("gapi");
    private AppContext ctx;
    private final G g = G.proxy();

    @BeforeEach
    void push() {
        ctx = app.appContext().push();
    }

    @AfterEach
    void pop() {
        ctx.pop();
    }

    @Test
    void getAnswersNullForAbsentAndDefaultOnlyWhenAbsent() {
        // CATALOGUE 2: g.get('x') None when absent; g.get('x', 5) is 5; stored None beats the default
        assertThat(g.get("x")).isNull();
        assertThat(g.getOrDefault("x", 5)).isEqualTo(5);
        g.set("x", null);
        assertThat(g.getOrDefault("x", 5)).isNull();
        assertThat(g.contains("x")).isTrue();
    }

    @Test
    void popOfAnAbsentNameThrowsAndPopWithDefaultDoesNot() {
        // CATALOGUE 2: g.pop('x') raises KeyError('x'); g.pop('x', 7) is 7; popping a present name removes it
        assertThatThrownBy(() -> g.pop("x")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("'x'");
        assertThat(g.pop("x", 7)).isEqualTo(7);
        assertThat(g.pop("x", null)).isNull();
        g.set("x", "v");
        assertThat(g.pop("x")).isEqualTo("v");
        assertThat(g.contains("x")).isFalse();
    }

    @Test
    void setDefaultStoresOnlyWhenAbsent() {
        // CATALOGUE 2: setdefault('s', 1) → 1; again with 2 → 1; setdefault('s2') stores None
        assertThat(g.setDefault("s", 1)).isEqualTo(1);
        assertThat(g.setDefault("s", 2)).isEqualTo(1);
        assertThat(g.setDefault("s2", null)).isNull();
        assertThat(g.contains("s2")).isTrue();
    }

    @Test
    void namesKeepInsertionOrderAndResettingARemovedNameMovesItToTheEnd() {
        // CATALOGUE 2: list(g) in insertion order; delete + set again moves to the end
        g.set("a", 1);
        g.set("b", 2);
        g.set("c", 3);
        g.set("a", 10);
        assertThat(g.names()).containsExactly("a", "b", "c");
        g.pop("a");
        g.set("a", 11);
        assertThat(g.names()).containsExactly("b", "c", "a");
    }

    @Test
    void everyWayOfAddingANamePlacesItLast() {
        g.set("a", 1);
        g.setDefault("b", 2);
        g.computeIfAbsent("c", () -> 3);
        g.set("d", null);
        assertThat(g.names()).containsExactly("a", "b", "c", "d");
        g.pop("b");
        g.setDefault("b", 4);
        g.pop("a", null);
        g.computeIfAbsent("a", () -> 5);
        assertThat(g.names()).containsExactly("c", "d", "b", "a");
        assertThat(g.get("d")).isNull();
        assertThat(g.contains("d")).isTrue();
    }

    @Test
    void namesThatLookOddAreStoredNormally() {
        // CATALOGUE 2: `_private` and `with space` are stored normally
        g.set("_private", 1);
        g.set("with space", 2);
        assertThat(g.names()).containsExactly("_private", "with space");
    }

    @Test
    void computeIfAbsentCallsTheSupplierOnceAndMayUseGInside() {
        AtomicInteger calls = new AtomicInteger();
        Object first = g.computeIfAbsent("db", () -> {
            calls.incrementAndGet();
            g.set("opened-by", "db supplier");
            return "connection";
        });
        Object second = g.computeIfAbsent("db", () -> "another");
        assertThat(first).isEqualTo("connection");
        assertThat(second).isEqualTo("connection");
        assertThat(calls).hasValue(1);
        assertThat(g.get("opened-by")).isEqualTo("db supplier");
    }

    @Test
    void typedKeysShareTheStringNamespaceAndCheckTheType() {
        g.set(COUNT, 3);
        assertThat(g.get(COUNT)).isEqualTo(3);
        assertThat(g.get("count")).isEqualTo(3);
        assertThat(g.get("count", Integer.class)).isEqualTo(3);
        assertThat(g.contains(COUNT)).isTrue();
        g.set("count", "three");
        assertThatThrownBy(() -> g.get(COUNT)).isInstanceOf(ClassCastException.class)
                .hasMessage("g.count holds a java.lang.String, not a java.lang.Integer");
        g.pop("count");
        assertThat(g.pop(COUNT, 0)).isZero();
        assertThat(g.getOrDefault(COUNT, 9)).isEqualTo(9);
        assertThat(g.setDefault(COUNT, 4)).isEqualTo(4);
        assertThat(g.computeIfAbsent(COUNT, () -> 5)).isEqualTo(4);
        assertThat(g.pop(COUNT)).isEqualTo(4);
    }

    @Test
    void typedKeysRejectPrimitiveTypes() {
        assertThatIllegalArgumentException().isThrownBy(() -> G.Key.of("n", int.class))
                .withMessageContaining("Integer.class");
    }

    @Test
    void reprNamesTheApp() {
        // CATALOGUE 2: repr(g) is <flask.g of 'gapi'>
        assertThat(g).hasToString("<flask.g of 'gapi'>");
        assertThat(ctx.g()).hasToString("<flask.g of 'gapi'>");
    }

    @Test
    void theProxyFollowsTheCurrentContext() {
        g.set("where", "outer");
        try (var inner = app.appContext().push()) {
            assertThat(g.get("where")).isNull();
            g.set("where", "inner");
        }
        assertThat(g.get("where")).isEqualTo("outer");
        assertThat(ctx.g().get("where")).isEqualTo("outer");
    }

    @Test
    void namesListExactlyThePresentNamesAfterConcurrentSetsAndPops() throws Exception {
        G shared = ctx.g();
        int threads = 8;
        int perThread = 2_000;
        List<String> problems = Race.run(threads, (id, found) -> {
            for (int i = 0; i < perThread; i++) {
                String name = id + "-" + (i % 50);
                if (i % 3 == 2) {
                    shared.pop(name, null);
                } else {
                    shared.set(name, i);
                }
                shared.set("shared", id);
                shared.pop("shared", null);
            }
        });
        assertThat(problems).isEmpty();
        List<String> names = shared.names();
        assertThat(names).doesNotHaveDuplicates();
        assertThat(names).allMatch(shared::contains);
        for (int id = 0; id < threads; id++) {
            for (int n = 0; n < 50; n++) {
                String name = id + "-" + n;
                assertThat(names.contains(name)).as(name).isEqualTo(shared.contains(name));
            }
        }
    }

    @Test
    void isSafeForConcurrentWritersAndReaders() throws Exception {
        G shared = ctx.g();
        int threads = 8;
        int perThread = 5_000;
        List<String> problems = Race.run(threads, (id, found) -> {
            for (int i = 0; i < perThread; i++) {
                String name = id + "-" + i;
                shared.set(name, i);
                if (!Integer.valueOf(i).equals(shared.get(name))) {
                    found.add(name);
                }
                shared.computeIfAbsent("common", () -> "once");
            }
        });
        assertThat(problems).isEmpty();
        assertThat(shared.names()).hasSize(threads * perThread + 1);
    }

    /**
     * A fresh {@code g}'s first write takes no lock: it publishes the first array with a compare-and-set. Writers
     * racing it on other threads (copies of the context share its g) must all land, whichever way they write.
     * The threads spin rather than park between rounds, so that they start each round within a few nanoseconds.
     */
    @Test
    void racingFirstWritesOfAFreshGAllLand() throws Exception {
        int threads = 2;
        int rounds = 20_000;
        AppCtxGlobals[] fresh = new AppCtxGlobals[rounds];
        AtomicInteger[] arrived = new AtomicInteger[rounds];
        AtomicInteger[] supplied = new AtomicInteger[rounds];
        for (int r = 0; r < rounds; r++) {
            fresh[r] = new AppCtxGlobals(app);
            arrived[r] = new AtomicInteger();
            supplied[r] = new AtomicInteger();
        }
        List<String> problems = Race.run(threads, (id, found) -> {
            for (int r = 0; r < rounds; r++) {
                int round = r;
                AppCtxGlobals shared = fresh[r];
                arrived[r].incrementAndGet();
                for (int spins = 0; arrived[r].get() < threads; spins++) {
                    if (spins < 1_000) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // one core: let the other thread arrive
                    }
                }
                String own = "t" + id;
                Object common;
                switch ((id + round) % 4) {
                    case 0 -> shared.set(own, round);
                    case 1 -> shared.setDefault(own, round);
                    case 2 -> shared.computeIfAbsent(own, () -> round);
                    default -> {
                        // The two threads race for one name, set once.
                        common = shared.computeIfAbsent("common", () -> {
                            supplied[round].incrementAndGet();
                            return id;
                        });
                        if (!common.equals(shared.get("common"))) {
                            found.add("round " + round + ": common " + common + " vs " + shared.get("common"));
                        }
                        shared.set(own, round);
                    }
                }
                if (!Integer.valueOf(round).equals(shared.get(own))) {
                    found.add("round " + round + ": " + own + " reads " + shared.get(own));
                }
            }
        });
        assertThat(problems).isEmpty();
        for (int r = 0; r < rounds; r++) {
            List<String> names = fresh[r].names();
            assertThat(names).as("round %d", r).contains("t0", "t1").doesNotHaveDuplicates();
            assertThat(names.contains("common")).as("round %d", r).isEqualTo(supplied[r].get() == 1);
            assertThat(supplied[r].get()).as("round %d", r).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aGEmptiedByPopsTakesNewNamesAtTheFront() {
        G fresh = app.appContext().g();
        fresh.set("a", 1);
        fresh.pop("a");
        assertThat(fresh.names()).isEmpty();
        fresh.set("b", 2);
        fresh.setDefault("c", 3);
        assertThat(fresh.names()).containsExactly("b", "c");
        assertThat(fresh.get("b")).isEqualTo(2);
    }

    @Test
    void theNameCountIsReadFromTheArray() {
        for (int capacity = 0; capacity <= 64; capacity += 8) {
            for (int names = 0; 2 * names <= capacity; names++) {
                Object[] entries = new Object[capacity];
                for (int at = 0; at < names; at++) {
                    entries[2 * at] = "n" + at;
                    entries[2 * at + 1] = at;
                }
                assertThat(AppCtxGlobals.namesIn(entries)).as("%d of %d", names, capacity / 2).isEqualTo(names);
            }
        }
    }
}
