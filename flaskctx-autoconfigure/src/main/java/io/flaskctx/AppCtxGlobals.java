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
import org.jspecify.annotations.Nullable;

/**
 * The {@code g} of one app context (Flask's {@code _AppCtxGlobals}). Reads are lock-free and find the value
 * in the map itself (a read is what every request does most). {@link #names()}' insertion order lives beside
 * it: when a name was first set is recorded as that set stores the value, inside the map's own per-name
 * atomicity, so no lock spans every write. The maps are created on the first write, so a request that never
 * touches {@code g} pays for none of it.
 */
final class AppCtxGlobals implements G {

    /** Stands for a stored null, which a {@link ConcurrentHashMap} cannot hold. */
    private static final Object NULL = new Object();

    private static final VarHandle VALUES;
    private static final VarHandle ORDER;
    private static final VarHandle NEXT_ORDER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUES = lookup.findVarHandle(AppCtxGlobals.class, "values", ConcurrentHashMap.class);
            ORDER = lookup.findVarHandle(AppCtxGlobals.class, "order", ConcurrentHashMap.class);
            NEXT_ORDER = lookup.findVarHandle(AppCtxGlobals.class, "nextOrder", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ConcurrentHashMap<String, Object> EMPTY = new ConcurrentHashMap<>();

    private final FlaskApp app;
    // name -> value (NULL for null)
    private volatile @Nullable ConcurrentHashMap<String, Object> values;
    // name -> when it was set while absent (so a name popped and set again moves to the end, as in Flask);
    // written and removed together with the name's value, inside the values map's atomic update of that name
    private volatile @Nullable ConcurrentHashMap<String, Long> order;
    @SuppressWarnings("unused") // through NEXT_ORDER
    private long nextOrder;

    AppCtxGlobals(FlaskApp app) {
        this.app = app;
    }

    private static Object wrap(@Nullable Object value) {
        return value == null ? NULL : value;
    }

    private static @Nullable Object unwrap(Object stored) {
        return stored == NULL ? null : stored;
    }

    /** The map to read: the real one once something was written, else a shared empty one. */
    private ConcurrentHashMap<String, Object> read() {
        ConcurrentHashMap<String, Object> current = values;
        return current == null ? EMPTY : current;
    }

    /** The map to write, created on the first write (racing creators agree on one). */
    private ConcurrentHashMap<String, Object> write() {
        ConcurrentHashMap<String, Object> current = values;
        if (current == null) {
            // The order map first: whoever sees the values map sees it too.
            ORDER.compareAndSet(this, null, new ConcurrentHashMap<String, Long>());
            ConcurrentHashMap<String, Object> created = new ConcurrentHashMap<>();
            // a failed exchange means another thread set it
            current = VALUES.compareAndSet(this, null, created) ? created : Objects.requireNonNull(values);
        }
        return current;
    }

    /** Records that {@code name} is being set while absent; called inside the values map's update of it. */
    private void placeLast(String name) {
        order().put(name, (long) NEXT_ORDER.getAndAdd(this, 1L));
    }

    /** The order map, which exists wherever the values map does: it is created first. */
    private ConcurrentHashMap<String, Long> order() {
        return Objects.requireNonNull(order);
    }

    @Override
    public @Nullable Object get(String name) {
        Object stored = read().get(name);
        return stored == NULL ? null : stored;
    }

    @Override
    public @Nullable Object getOrDefault(String name, @Nullable Object defaultValue) {
        Object stored = read().get(name);
        return stored == null ? defaultValue : unwrap(stored);
    }

    @Override
    public void set(String name, @Nullable Object value) {
        Objects.requireNonNull(name, "name");
        Object stored = wrap(value);
        write().compute(name, (n, old) -> {
            if (old == null) {
                placeLast(n);
            }
            return stored;
        });
        changed(name);
    }

    /** Tells the app's context listener that {@code name} changed, when this is the current thread's g. */
    private void changed(String name) {
        ContextListener listener = app.contextListener();
        if (listener != null) {
            AppContext current = Globals.APP.top();
            if (current != null && current.g() == this) {
                listener.gChanged(this, name);
            }
        }
    }

    /** Removes {@code name} and its place in the order together; answers what it held, null when absent. */
    private @Nullable Object remove(String name) {
        ConcurrentHashMap<String, Object> current = values;
        if (current == null || name == null) {
            return null;
        }
        Object[] removed = new Object[1];
        current.computeIfPresent(name, (n, old) -> {
            removed[0] = old;
            order().remove(n);
            return null;
        });
        if (removed[0] != null) {
            changed(name);
        }
        return removed[0];
    }

    @Override
    public @Nullable Object pop(String name) {
        Object stored = remove(name);
        if (stored == null) {
            throw new NoSuchElementException("g has no value named '" + name + "'");
        }
        return unwrap(stored);
    }

    @Override
    public @Nullable Object pop(String name, @Nullable Object defaultValue) {
        Object stored = remove(name);
        return stored == null ? defaultValue : unwrap(stored);
    }

    @Override
    public @Nullable Object setDefault(String name, @Nullable Object value) {
        Objects.requireNonNull(name, "name");
        Object stored = read().get(name);
        if (stored == null) {
            Object wrapped = wrap(value);
            stored = write().computeIfAbsent(name, n -> {
                placeLast(n);
                return wrapped;
            });
            changed(name);
        }
        return unwrap(stored);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T computeIfAbsent(String name, Supplier<? extends @Nullable T> supplier) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(supplier, "supplier");
        Object stored = read().get(name);
        if (stored != null) {
            return (T) unwrap(stored);
        }
        // The supplier often uses g itself (loading the user needs g's connection), so it must not run inside
        // the map's own locking; a reentrant lock on this g keeps the call atomic without that hazard.
        synchronized (this) {
            stored = read().get(name);
            if (stored == null) {
                Object wrapped = wrap(supplier.get());
                stored = write().computeIfAbsent(name, n -> {
                    placeLast(n);
                    return wrapped;
                });
                changed(name);
            }
            return (T) unwrap(stored);
        }
    }

    @Override
    public boolean contains(String name) {
        return name != null && read().containsKey(name);
    }

    @Override
    public List<String> names() {
        ConcurrentHashMap<String, Object> current = values;
        if (current == null) {
            return new ArrayList<>();
        }
        Map<String, Long> placed = order();
        List<Map.Entry<String, Long>> entries = new ArrayList<>(current.size());
        for (String name : current.keySet()) {
            // a name's place is recorded before its value is stored, so a name seen here has one
            entries.add(Map.entry(name, placed.getOrDefault(name, Long.MAX_VALUE)));
        }
        entries.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        List<String> names = new ArrayList<>(entries.size());
        for (Map.Entry<String, Long> e : entries) {
            names.add(e.getKey());
        }
        return names;
    }

    @Override
    public String toString() {
        return "<flask.g of '" + app.name() + "'>";
    }
}
