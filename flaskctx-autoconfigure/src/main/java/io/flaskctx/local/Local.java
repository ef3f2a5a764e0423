package io.flaskctx.local;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A namespace of named values that each thread sees alone: Werkzeug's {@code Local}.
 *
 * <p>Setting a name on one thread is invisible to every other thread, which is how Flask keeps one
 * request's data away from another's when many requests run at once. When a thread's last name is removed,
 * or {@link #release()} is called, its storage is dropped entirely, so a pooled thread keeps nothing.
 */
public final class Local {

    private final ThreadLocal<Map<String, Object>> storage = new ThreadLocal<>();

    /** Creates a {@code Local} with no values on any thread. */
    public Local() {
    }

    /**
     * Returns the value this thread stored under {@code name}.
     *
     * @param name the name
     * @return the value, or null when this thread stored nothing under that name (or stored null)
     */
    public @Nullable Object get(String name) {
        Map<String, Object> values = storage.get();
        return values == null ? null : values.get(name);
    }

    /**
     * Tells whether this thread stored a value (possibly null) under {@code name}.
     *
     * @param name the name
     * @return true when the name is set on this thread
     */
    public boolean contains(String name) {
        Map<String, Object> values = storage.get();
        return values != null && values.containsKey(name);
    }

    /**
     * Stores {@code value} under {@code name} for this thread only.
     *
     * @param name the name, not null
     * @param value the value, null allowed
     */
    public void set(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Map<String, Object> values = storage.get();
        if (values == null) {
            values = new HashMap<>();
            storage.set(values);
        }
        values.put(name, value);
    }

    /**
     * Removes {@code name} from this thread's namespace; when it was the last one, the thread's storage
     * is dropped.
     *
     * @param name the name
     * @return the value that was stored, or null
     */
    public @Nullable Object remove(String name) {
        Map<String, Object> values = storage.get();
        if (values == null) {
            return null;
        }
        Object removed = values.remove(name);
        if (values.isEmpty()) {
            storage.remove();
        }
        return removed;
    }

    /** Drops everything this thread stored (Werkzeug's {@code release_local}). */
    public void release() {
        storage.remove();
    }

    @Override
    public String toString() {
        Map<String, Object> values = storage.get();
        return "<Local " + (values == null ? "{}" : values.keySet()) + ">";
    }
}
