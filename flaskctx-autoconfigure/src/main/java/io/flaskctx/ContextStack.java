package io.flaskctx;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One of Flask's two context stacks ({@code _cv_app}, {@code _cv_request}) as the thread that runs the code sees
 * it. Both stacks of a thread live in one per-thread frame, so that pushing a request context (which pushes its
 * app context too) and popping it find the thread's storage once each, and a lookup of {@code g},
 * {@code request} or {@code current_app} is one thread-local read and one array read.
 *
 * <p>The frame is a plain {@code Object[]}: slot 0 holds the top app context, slot 1 the top request context
 * (for those one-read lookups), slot 2 an {@code int[2]} with both depths (primitives, so no push boxes), slots 3
 * and 4 each stack's contexts below its top, the bottom first, and slot 5 the top app context's {@code g} once a
 * read of {@code g} has looked it up (slot 6, its request-stack twin, stays empty). So the push of a context on an
 * empty stack, what every request does, stores one reference and one null, and its pop two nulls; and a read of
 * {@code g} is a thread-local read, one frame slot and {@code g}'s own array, as short as a lookup in a context
 * that is itself the map (OpenTelemetry's). Slot 7 holds the thread itself: a context remembers the frame it was
 * pushed in, and its pop (or its push again) on that thread takes the frame from there instead of looking it up.
 * Slot 8 holds the thread's own push counts for the apps that count ({@link ThreadCounts}).
 * Being JDK types only, a frame pins no class of the application on a pooled thread that outlives it (a container
 * thread after a redeploy), and a popped slot is cleared at once, so a thread whose stacks are empty holds nothing
 * that was pushed. The frame stays on the thread and is reused;
 * growing a stack replaces only that stack's items array, so a frame found once stays the thread's frame.
 *
 * <p>A record for one reason: the JIT trusts a record's final fields as constants, where it reloads an ordinary
 * final field even of a {@code static final} object. So in a push or pop, inlined where its stack is known
 * ({@link #APP} or {@link #REQUEST}), {@code kind} is a constant: the frame slots it indexes are fixed and their
 * bounds checks fold, which took about a fifth off a push and pop of a built context (benchmarks/LOG.md).
 *
 * @param <C> the kind of context
 * @param kind 0 for the app stack, 1 for the request stack: the frame slot of its top, its depth's index, and,
 *     added to {@code ITEMS}, its items' slot
 */
record ContextStack<C>(int kind) {

    private static final ThreadLocal<Object[]> FRAMES = new ThreadLocal<>();
    private static final int DEPTHS = 2;
    private static final int ITEMS = 3;
    // The top app context's g, filled by the first read of g after the top changed; any change of a stack's top
    // empties its slot (CACHED + kind), so slot 5 is always null or the g of the context in slot 0.
    private static final int CACHED = 5;
    // The thread whose frame it is: a context remembers the frame it was pushed in, and its pop on that thread uses
    // it without a lookup.
    private static final int OWNER = 7;
    // The thread's blocks of push counts (ThreadCounts), written and read by the thread alone.
    private static final int COUNTS = 8;
    private static final int INITIAL_CAPACITY = 4;

    static final ContextStack<AppContext> APP = new ContextStack<>(0);
    static final ContextStack<RequestContext> REQUEST = new ContextStack<>(1);

    /** This thread's frame, created on the thread's first push. */
    @SuppressWarnings("NullAway") // the tops of empty stacks are null: see the class comment
    static Object[] frame() {
        Object[] frame = FRAMES.get();
        if (frame == null) {
            frame = new Object[] {null, null, new int[2], new Object[INITIAL_CAPACITY], new Object[INITIAL_CAPACITY],
                null, null, Thread.currentThread(), null};
            FRAMES.set(frame);
        }
        return frame;
    }

    /** {@return the thread whose frame {@code frame} is; null only when read through a race from another thread} */
    static @Nullable Thread owner(Object[] frame) {
        return (Thread) frame[OWNER];
    }

    /** {@return the blocks of push counts of the thread whose frame it is (the caller), null before its first} */
    static Object @Nullable [] countBlocks(Object[] frame) {
        return (Object[]) frame[COUNTS];
    }

    /** Keeps the calling thread's blocks of push counts in its frame. */
    static void setCountBlocks(Object[] frame, Object[] blocks) {
        frame[COUNTS] = blocks;
    }

    /** {@return this thread's frame, null when it never pushed} */
    static Object @Nullable [] frameHere() {
        return FRAMES.get();
    }

    /**
     * {@return the {@code g} of the calling thread's top app context}
     *
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    static AppCtxGlobals currentG() {
        Object[] frame = FRAMES.get();
        if (frame != null) {
            Object cached = frame[CACHED];
            if (cached != null) {
                return (AppCtxGlobals) cached;
            }
            AppContext top = (AppContext) frame[0];
            if (top != null) {
                AppCtxGlobals g = top.globals();
                frame[CACHED] = g;
                return g;
            }
        }
        throw OutsideContextException.app();
    }

    /**
     * {@return the depths of the calling thread's stacks, the app stack's first (live: read them at once), or null
     * when this thread never pushed}
     */
    static int @Nullable [] depthsHere() {
        Object[] frame = FRAMES.get();
        return frame == null ? null : depths(frame);
    }

    /**
     * {@return the top of this stack on the calling thread, null when it is empty}
     */
    @SuppressWarnings("unchecked")
    @Nullable C top() {
        Object[] frame = FRAMES.get();
        return frame == null ? null : (C) frame[kind];
    }

    /**
     * {@return the top of this stack in {@code frame}, null when it is empty}
     */
    @SuppressWarnings("unchecked")
    @Nullable C top(Object[] frame) {
        return (C) frame[kind];
    }

    /** {@return the context just below the top of this stack in {@code frame}, null when it holds fewer than two} */
    @SuppressWarnings("unchecked")
    @Nullable C belowTop(Object[] frame) {
        int depth = depths(frame)[kind];
        return depth < 2 ? null : (C) items(frame)[depth - 2];
    }

    /**
     * Pushes {@code item} in {@code frame} (the calling thread's).
     *
     * @return the depth of this stack after the push
     */
    @SuppressWarnings("NullAway") // the top's cached g is empty until a read of g fills it: see the class comment
    int push(Object[] frame, C item) {
        int[] depths = depths(frame);
        int depth = depths[kind];
        if (depth > 0) {
            Object[] below = items(frame);
            if (depth - 1 == below.length) {
                below = Arrays.copyOf(below, below.length * 2);
                frame[ITEMS + kind] = below;
            }
            below[depth - 1] = frame[kind];
        }
        frame[kind] = item;
        frame[CACHED + kind] = null;
        depths[kind] = depth + 1;
        return depth + 1;
    }

    /** Pushes {@code item} on the calling thread's stack; {@return the depth after the push} */
    int push(C item) {
        return push(frame(), item);
    }

    /**
     * Removes the top of this stack in {@code frame}; the caller has checked that the stack is not empty.
     */
    @SuppressWarnings("NullAway") // a popped slot and the top of an emptied stack are null
    void pop(Object[] frame) {
        int[] depths = depths(frame);
        int depth = depths[kind] - 1;
        if (depth == 0) {
            frame[kind] = null;
        } else {
            Object[] below = items(frame);
            frame[kind] = below[depth - 1];
            below[depth - 1] = null;
        }
        frame[CACHED + kind] = null;
        depths[kind] = depth;
    }

    /** Removes the top of the calling thread's stack, if any; {@return what was on top, null when empty} */
    @Nullable C pop() {
        Object[] frame = FRAMES.get();
        if (frame == null || depths(frame)[kind] == 0) {
            return null;
        }
        C top = top(frame);
        pop(frame);
        return top;
    }

    /**
     * {@return how many contexts this stack holds on the calling thread}
     */
    int depth() {
        Object[] frame = FRAMES.get();
        return frame == null ? 0 : depth(frame);
    }

    /** {@return how many contexts this stack holds in {@code frame}, the calling thread's} */
    int depth(Object[] frame) {
        return depths(frame)[kind];
    }

    /**
     * {@return the context {@code fromTop} places below the top on the calling thread (0 is the top), null when
     * the stack is not that deep}
     */
    @SuppressWarnings("unchecked")
    @Nullable C peek(int fromTop) {
        Object[] frame = FRAMES.get();
        if (frame == null || fromTop < 0) {
            return null;
        }
        int depth = depths(frame)[kind];
        if (fromTop >= depth) {
            return null;
        }
        return (C) (fromTop == 0 ? frame[kind] : items(frame)[depth - 1 - fromTop]);
    }

    private static int[] depths(Object[] frame) {
        return (int[]) frame[DEPTHS];
    }

    private Object[] items(Object[] frame) {
        return (Object[]) frame[ITEMS + kind];
    }

    @Override
    public String toString() {
        return "<" + (kind == 0 ? "app" : "request") + " context stack depth=" + depth() + ">";
    }
}
