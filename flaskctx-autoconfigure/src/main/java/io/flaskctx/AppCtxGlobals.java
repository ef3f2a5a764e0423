package io.flaskctx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The {@code g} of one app context (Flask's {@code _AppCtxGlobals}). Reads are lock-free; each entry
 * remembers when its name was first set, which gives {@link #names()} Flask's insertion order without a
 * lock around every write.
 */
final class AppCtxGlobals implements G {

    private record Entry(long order, Object value) {
    }

    private final FlaskApp app;
    private final ConcurrentHashMap<String, Entry> values = new ConcurrentHashMap<>();
    private final AtomicLong nextOrder = new AtomicLong();

    AppCtxGlobals(FlaskApp app) {
        this.app = app;
    }

    @Override
    public Object get(String name) {
        Entry entry = values.get(name);
        return entry == null ? null : entry.value;
    }

    @Override
    public Object getOrDefault(String name, Object defaultValue) {
        Entry entry = values.get(name);
        return entry == null ? defaultValue : entry.value;
    }

    @Override
    public void set(String name, Object value) {
        Objects.requireNonNull(name, "name");
        values.compute(name, (n, old) -> new Entry(old == null ? nextOrder.getAndIncrement() : old.order, value));
    }

    @Override
    public Object pop(String name) {
        Entry entry = values.remove(name);
        if (entry == null) {
            throw new NoSuchElementException("g has no value named '" + name + "'");
        }
        return entry.value;
    }

    @Override
    public Object pop(String name, Object defaultValue) {
        Entry entry = values.remove(name);
        return entry == null ? defaultValue : entry.value;
    }

    @Override
    public Object setDefault(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Entry entry = values.get(name);
        if (entry == null) {
            entry = values.computeIfAbsent(name, n -> new Entry(nextOrder.getAndIncrement(), value));
        }
        return entry.value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(String name, Supplier<? extends T> supplier) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(supplier, "supplier");
        Entry entry = values.get(name);
        if (entry != null) {
            return (T) entry.value;
        }
        // The supplier often uses g itself (loading the user needs g's connection), so it must not run inside
        // the map's own locking; a reentrant lock on this g keeps the call atomic without that hazard.
        synchronized (this) {
            entry = values.get(name);
            if (entry == null) {
                Object value = supplier.get();
                entry = values.computeIfAbsent(name, n -> new Entry(nextOrder.getAndIncrement(), value));
            }
            return (T) entry.value;
        }
    }

    @Override
    public boolean contains(String name) {
        return name != null && values.containsKey(name);
    }

    @Override
    public List<String> names() {
        List<Map.Entry<String, Entry>> entries = new ArrayList<>(values.entrySet());
        entries.sort(Comparator.comparingLong(e -> e.getValue().order));
        List<String> names = new ArrayList<>(entries.size());
        for (Map.Entry<String, Entry> e : entries) {
            names.add(e.getKey());
        }
        return names;
    }

    @Override
    public String toString() {
        return "<flask.g of '" + app.name() + "'>";
    }
}
