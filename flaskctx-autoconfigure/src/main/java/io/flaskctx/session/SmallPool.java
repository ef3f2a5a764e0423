package io.flaskctx.session;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A few reusable objects that are costly to make (zlib state): {@link #take()} one, use it on this thread only,
 * {@link #give(Object) give} it back. Lock-free; a thread starts at a slot of its own, so that threads seldom
 * meet. At most {@link #KEPT} are kept, however many threads there are: nothing is held per thread, and under
 * more concurrency than that, extra ones are made and, given back to a full pool, released by {@code discard}.
 */
final class SmallPool<T> {

    /** Twice the processors (at least 2): more threads than that are seldom inside a codec at the same time. */
    static final int KEPT = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

    private final AtomicReferenceArray<@Nullable T> slots = new AtomicReferenceArray<>(KEPT);
    private final Consumer<T> discard;

    /** @param discard what to do with one that the pool has no room to keep (e.g. free its native memory) */
    SmallPool(Consumer<T> discard) {
        this.discard = discard;
    }

    /** @return a kept object, or null when none is free (then make one) */
    @Nullable T take() {
        int start = start();
        for (int i = 0; i < KEPT; i++) {
            int slot = (start + i) % KEPT;
            T kept = slots.get(slot);
            if (kept != null && slots.compareAndSet(slot, kept, null)) {
                return kept;
            }
        }
        return null;
    }

    /** Keeps {@code object} for the next {@link #take()}, or discards it when every slot is full. */
    void give(T object) {
        int start = start();
        for (int i = 0; i < KEPT; i++) {
            int slot = (start + i) % KEPT;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, object)) {
                return;
            }
        }
        discard.accept(object);
    }

    @SuppressWarnings("deprecation") // getId(): threadId() is Java 19+, and the build targets 17
    private static int start() {
        return (int) (Thread.currentThread().getId() % KEPT);
    }
}
