package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code g} of one app context (Flask's {@code _AppCtxGlobals}), kept the way Python keeps a small
 * {@code dict}: names and values side by side in one array, in insertion order, which is the order
 * {@link #names()} answers. A {@code g} holds a handful of names, so a read scans a few array slots and compares
 * by identity first (names are usually string literals or a {@link G.Key}'s name, so the first comparison hits);
 * past {@value #INDEXED} names an index by name finds the slot instead. The array is made by the first write, so
 * a request that never touches {@code g} pays for none of it.
 *
 * <p>Thread-safe, because copies of a context on other threads share its {@code g}: reads take no lock (names
 * are read plainly, as a {@code String} is safe to read through a race, and values with acquire, so a value is
 * seen whole). The first write publishes the first array with one compare-and-set from null and takes no lock,
 * since nothing else can change yet; the writer that loses the race writes as every later one does. Later
 * writes take this object's lock and either fill the next free slot of the current array (the value first, then
 * the name; a reader that finds the name before its value counts it absent, as it is until that write returns)
 * or publish a new array (a grown one, or one without a removed name, so a name popped and set again moves to
 * the end, as in Flask). How many names the array holds is read from the array itself (its names fill the
 * slots from the start), so a write under the lock needs nothing the lock-free first write did not publish.
 * {@link #computeIfAbsent} serialises on a lock of its own while its supplier runs, so a slow supplier never
 * blocks plain writes of other threads.
 */
final class AppCtxGlobals implements G {

    /** Stands for a stored null. */
    private static final Object NULL = new Object();
    /** Names a g holds before it also keeps an index by name. */
    static final int INDEXED = 16;
    private static final int INITIAL_NAMES = 4;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle ENTRIES;
    private static final VarHandle COMPUTE_LOCK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENTRIES = lookup.findVarHandle(AppCtxGlobals.class, "entries", Object[].class);
            COMPUTE_LOCK = lookup.findVarHandle(AppCtxGlobals.class, "computeLock", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlaskApp app;
    // [name0, value0, name1, value1, ...]: names are Strings, values never null (NULL for null); the slots after
    // the last name are null. Null until the first write, which sets it once with a compare-and-set; after that
    // replaced only under this object's lock, never shrunk in place, when a name is removed or the array is full.
    private volatile Object @Nullable [] entries;
    // Past INDEXED names: name -> its slot in the current entries, replaced with them (a hint: checked on use).
    private volatile @Nullable Map<String, Integer> index;
    // Serialises computeIfAbsent; made by its first call.
    @SuppressWarnings("unused") // through COMPUTE_LOCK
    private volatile @Nullable Object computeLock;

    AppCtxGlobals(FlaskApp app) {
        this.app = app;
    }

    private static Object wrap(@Nullable Object value) {
        return value == null ? NULL : value;
    }

    private static @Nullable Object unwrap(Object stored) {
        return stored == NULL ? null : stored;
    }

    /**
     * The stored value (NULL for a stored null) of {@code name}, or null when absent. Names are read plainly (a
     * String is safe to read through a race) and the value with acquire: a name filled in place becomes visible
     * after its value, and a value not yet seen reads as absent, as it is until that write returns.
     */
    private @Nullable Object lookup(String name) {
        Object[] current = entries;
        if (current == null) {
            return null;
        }
        int at = slotOf(current, name);
        return at < 0 ? null : SLOT.getAcquire(current, at + 1);
    }

    /** The slot of {@code name} in {@code current}, or -1. */
    private int slotOf(Object[] current, String name) {
        // Only an array longer than INDEXED names can belong to an indexed g: smaller ones need no index read.
        Map<String, Integer> byName = current.length > 2 * INDEXED ? index : null;
        if (byName == null) {
            return scan(current, name);
        }
        // The index is as new as current or newer (it is published first): absent there is absent now; a slot it
        // names is checked, since a removal may have moved the names since current was read.
        Integer at = byName.get(name);
        if (at == null) {
            return -1;
        }
        int slot = at;
        return slot < current.length && name.equals(current[slot]) ? slot : scan(current, name);
    }

    private static int scan(Object[] current, String name) {
        for (int at = 0; at < current.length; at += 2) {
            Object held = current[at];
            if (held == null) {
                return -1;
            }
            if (held == name || name.equals(held)) {
                return at;
            }
        }
        return -1;
    }

    @Override
    public @Nullable Object get(String name) {
        Object stored = lookup(name);
        return stored == NULL ? null : stored;
    }

    @Override
    public <T> @Nullable T get(Key<T> key) {
        Object stored = lookup(key.name());
        return key.cast(stored == NULL ? null : stored);
    }

    @Override
    public @Nullable Object getOrDefault(String name, @Nullable Object defaultValue) {
        Object stored = lookup(name);
        return stored == null ? defaultValue : unwrap(stored);
    }

    @Override
    public void set(String name, @Nullable Object value) {
        Objects.requireNonNull(name, "name");
        store(name, wrap(value), true);
        changed(name);
    }

    /**
     * Stores {@code stored} under {@code name}, replacing a present value only when {@code replace}; {@return the
     * value stored under the name afterwards}
     */
    private Object store(String name, Object stored, boolean replace) {
        if (entries == null) {
            Object[] first = new Object[2 * INITIAL_NAMES];
            first[0] = name;
            first[1] = stored;
            if (ENTRIES.compareAndSet(this, null, first)) {
                return stored;
            }
        }
        // The entries exist now, and only writers holding the lock change them from here on.
        return storeLocked(name, stored, replace);
    }

    /** {@link #store} once the entries exist. */
    private synchronized Object storeLocked(String name, Object stored, boolean replace) {
        Object[] current = Objects.requireNonNull(entries);
        int at = slotOf(current, name);
        if (at >= 0) {
            if (!replace) {
                return Objects.requireNonNull(SLOT.getAcquire(current, at + 1));
            }
            SLOT.setRelease(current, at + 1, stored);
            return stored;
        }
        int size = namesIn(current);
        at = 2 * size;
        if (at == current.length) {
            Object[] grown = Arrays.copyOf(current, 2 * at);
            grown[at] = name;
            grown[at + 1] = stored;
            publish(grown, size + 1);
        } else {
            // Filled in place: the value first, so that a reader that sees the name sees its value.
            SLOT.setRelease(current, at + 1, stored);
            SLOT.setRelease(current, at, name);
            size++;
            Map<String, Integer> byName = index;
            if (byName != null) {
                byName.put(name, at);
            } else if (size > INDEXED) {
                index = indexOf(current, size);
            }
        }
        return stored;
    }

    /**
     * How many names {@code current} holds: they fill its name slots from the first, so the first empty name slot
     * is found by halving. Called under the lock, where no other writer changes the array.
     */
    static int namesIn(Object[] current) {
        int low = 0; // names known present: slots below 2 * low hold names
        int high = current.length / 2; // names at most
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (current[2 * mid] != null) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Makes {@code replacement}, holding {@code names} names, the entries; called under the lock. */
    private void publish(Object[] replacement, int names) {
        // The index first: a reader checks what it says against the entries it read.
        index = names > INDEXED ? indexOf(replacement, names) : null;
        entries = replacement;
    }

    private static Map<String, Integer> indexOf(Object[] entries, int names) {
        Map<String, Integer> byName = new java.util.concurrent.ConcurrentHashMap<>(2 * names);
        for (int at = 0; at < 2 * names; at += 2) {
            byName.put((String) entries[at], at);
        }
        return byName;
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

    /** Removes {@code name}; answers what it held (NULL for null), null when absent. */
    private @Nullable Object remove(@Nullable String name) {
        if (name == null) {
            return null;
        }
        Object removed;
        synchronized (this) {
            Object[] current = entries;
            int at = current == null ? -1 : slotOf(current, name);
            if (current == null || at < 0) {
                return null;
            }
            removed = current[at + 1];
            int size = namesIn(current);
            // A new array without the name: readers of the old one still see a whole g.
            Object[] rest = new Object[current.length];
            System.arraycopy(current, 0, rest, 0, at);
            System.arraycopy(current, at + 2, rest, at, 2 * size - at - 2);
            publish(rest, size - 1);
        }
        changed(name);
        return removed;
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
        Object stored = lookup(name);
        if (stored == null) {
            Object wrapped = wrap(value);
            stored = store(name, wrapped, false);
            if (stored == wrapped) {
                changed(name);
            }
        }
        return unwrap(stored);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T computeIfAbsent(String name, Supplier<? extends @Nullable T> supplier) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(supplier, "supplier");
        Object stored = lookup(name);
        if (stored != null) {
            return (T) unwrap(stored);
        }
        // The supplier often uses g itself (loading the user needs g's connection), so it runs under a reentrant
        // lock of its own, never under the lock plain writes take.
        synchronized (computeLock()) {
            stored = lookup(name);
            if (stored == null) {
                Object wrapped = wrap(supplier.get());
                stored = store(name, wrapped, false);
                if (stored == wrapped) {
                    changed(name);
                }
            }
            return (T) unwrap(stored);
        }
    }

    private Object computeLock() {
        Object lock = computeLock;
        if (lock == null) {
            Object created = new Object();
            Object witness = COMPUTE_LOCK.compareAndExchange(this, null, created);
            lock = witness != null ? witness : created;
        }
        return lock;
    }

    @Override
    public boolean contains(String name) {
        return name != null && lookup(name) != null;
    }

    @Override
    public List<String> names() {
        Object[] current = entries;
        List<String> names = new ArrayList<>();
        if (current != null) {
            for (int at = 0; at < current.length; at += 2) {
                Object name = SLOT.getAcquire(current, at);
                if (name == null) {
                    break;
                }
                names.add((String) name);
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return "<flask.g of '" + app.name() + "'>";
    }
}
