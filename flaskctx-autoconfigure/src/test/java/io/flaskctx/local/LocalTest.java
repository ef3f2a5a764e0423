package io.flaskctx.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalTest {

    private final Local local = new Local();

    @AfterEach
    void release() {
        local.release();
    }

    @Test
    void getAnswersNullForAnAbsentName() {
        assertThat(local.get("missing")).isNull();
        assertThat(local.contains("missing")).isFalse();
    }

    @Test
    void setThenGetReturnsTheValueAndNullIsAValue() {
        local.set("a", 1);
        local.set("n", null);
        assertThat(local.get("a")).isEqualTo(1);
        assertThat(local.contains("n")).isTrue();
        assertThat(local.get("n")).isNull();
    }

    @Test
    void removeReturnsTheValueAndForgetsTheName() {
        local.set("a", 1);
        assertThat(local.remove("a")).isEqualTo(1);
        assertThat(local.contains("a")).isFalse();
        assertThat(local.remove("a")).isNull();
    }

    @Test
    void releaseDropsEverythingAndTheValuesBecomeUnreachable() {
        Object value = new Object();
        WeakReference<Object> ref = new WeakReference<>(value);
        local.set("v", value);
        value = null;
        local.release();
        assertThat(local.get("v")).isNull();
        assertThat(Gc.collects(ref)).isTrue();
    }

    /** The seeds' Local demo (000_…): ten threads write their own number, wait, and read it back. */
    @Test
    void manyThreadsEachReadBackOnlyTheirOwnValue() throws Exception {
        List<String> mismatches = Race.run(16, (id, problems) -> {
            for (int r = 0; r < 2_000; r++) {
                String mine = id + ":" + r;
                local.set("num", mine);
                Thread.yield();
                if (!mine.equals(local.get("num"))) {
                    problems.add(mine + " read " + local.get("num"));
                }
            }
            local.release();
        });
        assertThat(mismatches).isEmpty();
    }
}
