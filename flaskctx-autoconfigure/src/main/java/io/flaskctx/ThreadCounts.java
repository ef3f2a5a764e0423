package io.flaskctx;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The push and pop counts of {@link ContextStats}, kept by each thread for itself: a thread that pushes an app's
 * contexts counts them in a block of its own, held in its frame, with plain writes, and a reader sums the blocks.
 * A context is pushed and popped on one thread, so a thread's block alone knows how many it has pushed right now.
 * Shared counters, even striped ones, cost every push and pop an atomic update, and a cache line that the cores
 * of a busy server pass between them.
 *
 * <p>A block is a {@code long[]}: slot 0 the app's {@linkplain ContextStats.AppStats#id id}, then the app contexts
 * pushed by origin, the request contexts pushed, and the app and request contexts pushed right now. The frame
 * keeps the blocks of the last few apps the thread counted for (JDK types only, so a pooled thread pins no class
 * of the application); the app keeps every block of its own, with its thread, and folds the blocks of threads that
 * ended into its shared counters. A virtual thread, usually one per request, counts in those shared counters
 * directly: a block of its own would be made and registered for every request.
 */
final class ThreadCounts {

    static final int APP_BY_ORIGIN = 1;
    static final int REQUEST_PUSHED = APP_BY_ORIGIN + ContextOrigin.all().length;
    static final int APP_ACTIVE = REQUEST_PUSHED + 1;
    static final int REQUEST_ACTIVE = APP_ACTIVE + 1;
    static final int SIZE = REQUEST_ACTIVE + 1;

    // The blocks a frame keeps; a thread that counts for more apps makes a new block for one it dropped (the app
    // still has the old one, and sums both).
    private static final int KEPT = 8;
    // A virtual thread's frame: it counts in the shared counters.
    private static final Object[] SHARED = new Object[0];
    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final @Nullable MethodHandle IS_VIRTUAL = isVirtual();

    private ThreadCounts() {
    }

    /** {@return a new app's id, never 0} */
    static long newId() {
        return IDS.incrementAndGet();
    }

    /**
     * {@return the calling thread's block for {@code stats}' app, made and registered on first use, or null when
     * the thread counts in the shared counters}
     *
     * @param frame the calling thread's frame
     */
    static long @Nullable [] block(Object[] frame, ContextStats.AppStats stats) {
        Object[] blocks = ContextStack.countBlocks(frame);
        if (blocks != null) {
            for (Object candidate : blocks) {
                long[] block = (long[]) candidate;
                if (block[0] == stats.id) {
                    return block;
                }
            }
            if (blocks == SHARED) {
                return null;
            }
        }
        return newBlock(frame, blocks, stats);
    }

    private static long @Nullable [] newBlock(Object[] frame, Object @Nullable [] blocks, ContextStats.AppStats stats) {
        if (blocks == null && isVirtual(Thread.currentThread())) {
            ContextStack.setCountBlocks(frame, SHARED);
            return null;
        }
        long[] block = new long[SIZE];
        block[0] = stats.id;
        stats.register(Thread.currentThread(), block);
        int kept = blocks == null ? 0 : Math.min(blocks.length, KEPT - 1);
        Object[] grown = new Object[kept + 1];
        grown[0] = block;
        if (kept > 0) {
            System.arraycopy(blocks, 0, grown, 1, kept);
        }
        ContextStack.setCountBlocks(frame, grown);
        return block;
    }

    /** Adds {@code delta} to a slot of the calling thread's own block: no other thread writes it. */
    static void add(long[] block, int slot, long delta) {
        LONGS.setOpaque(block, slot, (long) LONGS.getOpaque(block, slot) + delta);
    }

    /** {@return a slot of a block, as its thread last wrote it} */
    static long read(long[] block, int slot) {
        return (long) LONGS.getOpaque(block, slot);
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static @Nullable MethodHandle isVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17: no virtual threads
        }
    }
}
