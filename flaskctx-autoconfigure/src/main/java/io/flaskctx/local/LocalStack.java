package io.flaskctx.local;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stack that each thread sees alone: Werkzeug's {@code LocalStack}.
 *
 * <p>Flask keeps its application and request contexts on two such stacks. A stack rather than a single
 * slot because contexts nest: a script pushes the context of one app and then of another, a request
 * pushes its app's context implicitly, and popping the inner one must bring the outer one back.
 *
 * <p>Nothing stays behind: a popped slot is cleared at once, so a thread whose stack is empty holds no
 * reference to anything that was pushed. The per-thread storage is a plain {@code Object[]} (slot 0 holds
 * the depth, slots 1..depth the items) that is reused by the next push; being a JDK type, it pins no
 * class of the application on a pooled thread that outlives it (a container thread after a redeploy).
 *
 * @param <T> what the stack holds
 */
public final class LocalStack<T> {

    private static final int INITIAL_CAPACITY = 8;

    private final ThreadLocal<Object[]> stacks = new ThreadLocal<>();

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
            stacks.set(stack);
        }
        int depth = depth(stack) + 1;
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, stack.length * 2);
            stacks.set(stack);
        }
        stack[depth] = item;
        stack[0] = depth;
        return depth;
    }

    /**
     * Removes and returns the top of this thread's stack.
     *
     * @return the item that was on top, or null when this thread's stack is empty
     */
    @SuppressWarnings("unchecked")
    public T pop() {
        Object[] stack = stacks.get();
        if (stack == null) {
            return null;
        }
        int depth = depth(stack);
        if (depth == 0) {
            return null;
        }
        Object item = stack[depth];
        stack[depth] = null;
        stack[0] = depth - 1;
        return (T) item;
    }

    /**
     * Returns the top of this thread's stack without removing it.
     *
     * @return the item on top, or null when this thread's stack is empty
     */
    @SuppressWarnings("unchecked")
    public T top() {
        Object[] stack = stacks.get();
        if (stack == null) {
            return null;
        }
        int depth = depth(stack);
        return depth == 0 ? null : (T) stack[depth];
    }

    /**
     * Returns how many items this thread's stack holds.
     *
     * @return the depth, 0 when empty
     */
    public int depth() {
        Object[] stack = stacks.get();
        return stack == null ? 0 : depth(stack);
    }

    /**
     * Returns the item {@code fromTop} places below the top of this thread's stack ({@code 0} is the top).
     *
     * @param fromTop how far below the top, from 0
     * @return the item, or null when the stack is not that deep
     */
    @SuppressWarnings("unchecked")
    public T peek(int fromTop) {
        Object[] stack = stacks.get();
        if (stack == null || fromTop < 0) {
            return null;
        }
        int index = depth(stack) - fromTop;
        return index < 1 ? null : (T) stack[index];
    }

    private static int depth(Object[] stack) {
        Object depth = stack[0];
        return depth == null ? 0 : (Integer) depth;
    }

    @Override
    public String toString() {
        return "<LocalStack depth=" + depth() + ">";
    }
}
