package io.flaskctx.bench;

import java.util.Arrays;
import java.util.Objects;

/**
 * The alternative to {@code io.flaskctx.local.LocalStack} that {@link LocalStackBenchmark} measures it against:
 * identical, except that popping the last item removes the thread's {@code ThreadLocal} entry (so an idle
 * thread holds not even an empty array), and the next push creates array and entry again.
 */
public final class RemovingLocalStack<T> {

    private static final int INITIAL_CAPACITY = 8;

    private final ThreadLocal<Object[]> stacks = new ThreadLocal<>();

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
        if (depth == 1) {
            stacks.remove();
        } else {
            stack[depth] = null;
            stack[0] = depth - 1;
        }
        return (T) item;
    }

    @SuppressWarnings("unchecked")
    public T top() {
        Object[] stack = stacks.get();
        if (stack == null) {
            return null;
        }
        int depth = depth(stack);
        return depth == 0 ? null : (T) stack[depth];
    }

    private static int depth(Object[] stack) {
        Object depth = stack[0];
        return depth == null ? 0 : (Integer) depth;
    }
}
