package io.flaskctx.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalStackTest {

    private final LocalStack<String> stack = new LocalStack<>();

    @Test
    void emptyStackAnswersNullAndDepthZero() {
        assertThat(stack.top()).isNull();
        assertThat(stack.pop()).isNull();
        assertThat(stack.depth()).isZero();
    }

    @Test
    void popReturnsItemsInReverseOrderOfPush() {
        assertThat(stack.push("a")).isEqualTo(1);
        assertThat(stack.push("b")).isEqualTo(2);
        assertThat(stack.top()).isEqualTo("b");
        assertThat(stack.peek(1)).isEqualTo("a");
        assertThat(stack.peek(2)).isNull();
        assertThat(stack.pop()).isEqualTo("b");
        assertThat(stack.top()).isEqualTo("a");
        assertThat(stack.pop()).isEqualTo("a");
        assertThat(stack.pop()).isNull();
    }

    @Test
    void growsBeyondItsInitialCapacity() {
        for (int i = 0; i < 100; i++) {
            stack.push("item" + i);
        }
        assertThat(stack.depth()).isEqualTo(100);
        for (int i = 99; i >= 0; i--) {
            assertThat(stack.pop()).isEqualTo("item" + i);
        }
        assertThat(stack.depth()).isZero();
    }

    @Test
    void topAndPeekFollowEveryPushAndPopThroughAGrowth() {
        for (int i = 0; i < 40; i++) {
            stack.push("item" + i);
            assertThat(stack.top()).isEqualTo("item" + i);
            assertThat(stack.peek(i)).isEqualTo("item0");
            assertThat(stack.peek(i + 1)).isNull();
        }
        for (int i = 39; i >= 0; i--) {
            assertThat(stack.top()).isEqualTo("item" + i);
            assertThat(stack.pop()).isEqualTo("item" + i);
            assertThat(stack.depth()).isEqualTo(i);
        }
        assertThat(stack.top()).isNull();
        assertThat(stack.peek(0)).isNull();
        assertThat(stack.peek(-1)).isNull();
    }

    @Test
    void rejectsNullBecauseTopUsesNullForEmpty() {
        assertThatNullPointerException().isThrownBy(() -> stack.push(null));
        assertThat(stack.depth()).isZero();
    }

    @Test
    void eachThreadSeesOnlyItsOwnStack() throws Exception {
        stack.push("main");
        String seenByOther = CompletableFuture.supplyAsync(() -> {
            String before = stack.top();
            stack.push("other");
            String after = stack.top();
            stack.pop();
            return before + "/" + after;
        }).get();
        assertThat(seenByOther).isEqualTo("null/other");
        assertThat(stack.top()).isEqualTo("main");
        assertThat(stack.depth()).isEqualTo(1);
        stack.pop();
    }

    @Test
    void poppedItemIsNoLongerReachableFromTheThread() {
        LocalStack<Object> objects = new LocalStack<>();
        Object item = new Object();
        WeakReference<Object> ref = new WeakReference<>(item);
        objects.push(item);
        objects.pop();
        item = null;
        assertThat(Gc.collects(ref)).as("a popped item must not stay reachable through the stack").isTrue();
    }
}
