package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code g} of one app context (Flask's {@code _AppCtxGlobals}). Reads are lock-free; each entry
 * remembers when its name was first set, which gives {@link #names()} Flask's insertion order without a
 * lock around every write. The map is created on the first write, so a request that never touches
 * {@code g} pays for none of it.
 */
final class AppCtxGlobals implements G {

    private record Entry(long order, Object value) {
    }

    private static final VarHandle VALUES;
    private static final VarHandle NEXT_ORDER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUES = lookup.findVarHandle(AppCtxGlobals.class, "values", ConcurrentHashMap.class);
            NEXT_ORDER = lookup.findVarHandle(AppCtxGlobals.class, "nextOrder", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ConcurrentHashMap<String, Entry> EMPTY = new ConcurrentHashMap<>();

    private final FlaskApp app;
    private volatile ConcurrentHashMap<String, Entry> values;
    @SuppressWarnings("unused") // through NEXT_ORDER
    private long nextOrder;

    AppCtxGlobals(FlaskApp app) {
        this.app = app;
    }

    /** The map to read: the real one once something was written, else a shared empty one. */
    private ConcurrentHashMap<String, Entry> read() {
        ConcurrentHashMap<String, Entry> current = values;
        return current == null ? EMPTY : current;
    }

    /** The map to write, created on the first write (racing creators agree on one). */
    private ConcurrentHashMap<String, Entry> write() {
        ConcurrentHashMap<String, Entry> current = values;
        if (current == null) {
            ConcurrentHashMap<String, Entry> created = new ConcurrentHashMap<>();
            current = VALUES.compareAndSet(this, null, created) ? created : values;
        }
        return current;
    }

    private long nextOrder() {
        return (long) NEXT_ORDER.getAndAdd(this, 1L);
    }

    @Override
    public Object get(String name) {
        Entry entry = read().get(name);
        return entry == null ? null : entry.value;
    }

    @Override
    public Object getOrDefault(String name, Object defaultValue) {
        Entry entry = read().get(name);
        return entry == null ? defaultValue : entry.value;
    }

    @Override
    public void set(String name, Object value) {
        Objects.requireNonNull(name, "name");
        write().compute(name, (n, old) -> new Entry(old == null ? nextOrder() : old.order, value));
    }

    @Override
    public Object pop(String name) {
        Entry entry = name == null ? null : read().remove(name);
        if (entry == null) {
            throw new NoSuchElementException("g has no value named '" + name + "'");
        }
        return entry.value;
    }

    @Override
    public Object pop(String name, Object defaultValue) {
        Entry entry = name == null ? null : read().remove(name);
        return entry == null ? defaultValue : entry.value;
    }

    @Override
    public Object setDefault(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Entry entry = read().get(name);
        if (entry == null) {
            entry = write().computeIfAbsent(name, n -> new Entry(nextOrder(), value));
        }
        return entry.value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(String name, Supplier<? extends T> supplier) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(supplier, "supplier");
        Entry entry = read().get(name);
        if (entry != null) {
            return (T) entry.value;
        }
        // The supplier often uses g itself (loading the user needs g's connection), so it must not run inside
        // the map's own locking; a reentrant lock on this g keeps the call atomic without that hazard.
        synchronized (this) {
            entry = read().get(name);
            if (entry == null) {
                Object value = supplier.get();
                entry = write().computeIfAbsent(name, n -> new Entry(nextOrder(), value));
            }
            return (T) entry.value;
        }
    }

    @Override
    public boolean contains(String name) {
        return name != null && read().containsKey(name);
    }

    @Override
    public List<String> names() {
        List<Map.Entry<String, Entry>> entries = new ArrayList<>(read().entrySet());
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
