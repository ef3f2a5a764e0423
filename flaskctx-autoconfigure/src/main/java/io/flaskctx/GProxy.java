package io.flaskctx;

import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Flask's module-level {@code g}: every call goes to the current app context's {@code g}. Written out by
 * hand so that a call costs a stack lookup and nothing else (no reflection).
 */
enum GProxy implements G {
    INSTANCE;

    private static AppCtxGlobals current() {
        return ContextStack.currentG();
    }

    @Override
    public @Nullable Object get(String name) {
        return current().get(name);
    }

    @Override
    public <T> @Nullable T get(Key<T> key) {
        return current().get(key);
    }

    @Override
    public @Nullable Object getOrDefault(String name, @Nullable Object defaultValue) {
        return current().getOrDefault(name, defaultValue);
    }

    @Override
    public void set(String name, @Nullable Object value) {
        current().set(name, value);
    }

    @Override
    public @Nullable Object pop(String name) {
        return current().pop(name);
    }

    @Override
    public @Nullable Object pop(String name, @Nullable Object defaultValue) {
        return current().pop(name, defaultValue);
    }

    @Override
    public @Nullable Object setDefault(String name, @Nullable Object value) {
        return current().setDefault(name, value);
    }

    @Override
    public <T> @Nullable T computeIfAbsent(String name, Supplier<? extends @Nullable T> supplier) {
        return current().computeIfAbsent(name, supplier);
    }

    @Override
    public boolean contains(String name) {
        return current().contains(name);
    }

    @Override
    public List<String> names() {
        return current().names();
    }

    @Override
    public String toString() {
        AppContext top = Globals.APP.top();
        return top == null ? "<LocalProxy unbound>" : top.g().toString();
    }
}
