package io.flaskctx.local;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stack that each thread sees alone: Werkzeug's {@code LocalStack}.
 *
 * <p>Flask keeps its application and request contexts on two such stacks. A stack rather than a single
 * slot because contexts nest: a script pushes the context of one app and then of another, a request
 * pushes its app's context implicitly, and popping the inner one must bring the outer one back.
 *
 * <p>Nothing stays behind: a popped slot is cleared at once, so a thread whose stack is empty holds no
 * reference to anything that was pushed. The per-thread storage is a plain {@code Object[]} that is reused by
 * the next push: slot 0 holds the top item (a second reference to it, so that {@link #top()}, which every
 * {@code g}, {@code request} and {@code current_app} lookup makes, is one array read), slot 1 an
 * {@code int[1]} with the depth (a primitive, so no push or pop boxes it), slot 2 always null, slots
 * 3..depth+2 the items. Being JDK types, they pin no class of the application on a pooled thread that
 * outlives it (a container thread after a redeploy).
 *
 * @param <T> what the stack holds
 */
public final class LocalStack<T> {

    private static final int TOP = 0;
    private static final int DEPTH = 1;
    // Slot 2 stays null: below the bottom item, so a pop copies the new top without a test for empty.
    private static final int BOTTOM = 3;
    private static final int INITIAL_CAPACITY = 8;

    private final ThreadLocal<Object[]> stacks = new ThreadLocal<>();

    /** Creates a stack that is empty on every thread. */
    public LocalStack() {
    }

    /**
     * Pushes {@code item} onto this thread's stack.
     *
     * @param item what to push; not null, since {@link #top()} answers null for an empty stack
     * @return the depth of this thread's stack after the push
     * @throws NullPointerException if {@code item} is null
     */
    public int push(T item) {
        Objects.requireNonNull(item, "a LocalStack cannot hold null");
        Object[] stack = stacks.get();
        if (stack == null) {
            stack = new Object[INITIAL_CAPACITY];
            stack[DEPTH] = new int[1];
            stacks.set(stack);
        }
        int[] counter = (int[]) stack[DEPTH];
        int depth = counter[0] + 1;
        int index = depth + BOTTOM - 1;
        if (index == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
            stacks.set(stack);
        }
        stack[index] = item;
        stack[TOP] = item;
        counter[0] = depth;
        return depth;
    }

    /**
     * Removes and returns the top of this thread's stack.
     *
     * @return the item that was on top, or null when this thread's stack is empty
     */
    @SuppressWarnings("unchecked")
    public @Nullable T pop() {
        Object[] stack = stacks.get();
        if (stack == null) {
            return null;
        }
        int[] counter = (int[]) stack[DEPTH];
        int depth = counter[0];
        if (depth == 0) {
            return null;
        }
        int index = depth + BOTTOM - 1;
        Object item = stack[index];
        clear(stack, index);
        stack[TOP] = stack[index - 1];
        counter[0] = depth - 1;
        return (T) item;
    }

    /**
     * Returns the top of this thread's stack without removing it.
     *
     * @return the item on top, or null when this thread's stack is empty
     */
    @SuppressWarnings("unchecked")
    public @Nullable T top() {
        Object[] stack = stacks.get();
        return stack == null ? null : (T) stack[TOP];
    }

    /**
     * Returns how many items this thread's stack holds.
     *
     * @return the depth, 0 when empty
     */
    public int depth() {
        Object[] stack = stacks.get();
        return stack == null ? 0 : ((int[]) stack[DEPTH])[0];
    }

    /**
     * Returns the item {@code fromTop} places below the top of this thread's stack ({@code 0} is the top).
     *
     * @param fromTop how far below the top, from 0
     * @return the item, or null when the stack is not that deep
     */
    @SuppressWarnings("unchecked")
    public @Nullable T peek(int fromTop) {
        Object[] stack = stacks.get();
        if (stack == null || fromTop < 0) {
            return null;
        }
        int index = ((int[]) stack[DEPTH])[0] + BOTTOM - 1 - fromTop;
        return index < BOTTOM ? null : (T) stack[index];
    }

    @Override
    public String toString() {
        return "<LocalStack depth=" + depth() + ">";
    }

    /**
     * Empties a popped slot, so that the stack keeps nothing reachable. The array is typed as holding no nulls:
     * only slots above the depth are empty, and nothing reads them.
     */
    @SuppressWarnings("NullAway") // slots above the depth are null by design; below it, never
    private static void clear(Object[] stack, int index) {
        stack[index] = null;
    }
}
