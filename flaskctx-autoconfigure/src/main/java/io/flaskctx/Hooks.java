package io.flaskctx;

import java.util.Arrays;
import java.util.Objects;

/**
 * One kind of hook of one app, in registration order. Registration happens at start-up and copies the
 * array; running hooks on every request reads it without locking.
 */
final class Hooks<H> {

    private static final Object[] NONE = new Object[0];

    private volatile Object[] hooks = NONE;

    synchronized void add(H hook) {
        Objects.requireNonNull(hook, "hook");
        Object[] grown = Arrays.copyOf(hooks, hooks.length + 1);
        grown[hooks.length] = hook;
        hooks = grown;
    }

    /** The hooks in registration order; callers only read the array. */
    Object[] all() {
        return hooks;
    }

    boolean isEmpty() {
        return hooks.length == 0;
    }
}
