package io.flaskctx;

import java.util.List;
import java.util.function.Supplier;

/**
 * Flask's module-level {@code g}: every call goes to the current app context's {@code g}. Written out by
 * hand so that a call costs a stack lookup and nothing else (no reflection).
 */
enum GProxy implements G {
    INSTANCE;

    private static G current() {
        return Globals.appContext().g();
    }

    @Override
    public Object get(String name) {
        return current().get(name);
    }

    @Override
    public Object getOrDefault(String name, Object defaultValue) {
        return current().getOrDefault(name, defaultValue);
    }

    @Override
    public void set(String name, Object value) {
        current().set(name, value);
    }

    @Override
    public Object pop(String name) {
        return current().pop(name);
    }

    @Override
    public Object pop(String name, Object defaultValue) {
        return current().pop(name, defaultValue);
    }

    @Override
    public Object setDefault(String name, Object value) {
        return current().setDefault(name, value);
    }

    @Override
    public <T> T computeIfAbsent(String name, Supplier<? extends T> supplier) {
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
