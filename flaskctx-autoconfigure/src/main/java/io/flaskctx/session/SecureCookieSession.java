package io.flaskctx.session;

import io.flaskctx.Session;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code SecureCookieSession}: the session read from a signed cookie, a map that records whether it
 * was written ({@code modified}, which decides whether the cookie is sent). As in Flask, it cannot tell new
 * from empty, so {@link #isNew()} is false.
 *
 * <p>Safe for use from several threads (a request's session may be handed to a worker); iterating its views
 * while another thread writes needs {@code synchronized (session)}, as with
 * {@link java.util.Collections#synchronizedMap}. A value is checked when it is put, so that one the cookie
 * cannot hold fails at the {@code put} that stored it rather than when the response is sent.
 */
final class SecureCookieSession extends AbstractMap<String, Object> implements Session {

    private final LinkedHashMap<String, Object> values;
    private boolean modified;
    private volatile boolean accessed;
    private @Nullable Set<Entry<String, Object>> entries;

    SecureCookieSession() {
        this.values = new LinkedHashMap<>();
    }

    SecureCookieSession(Map<String, Object> initial) {
        this.values = new LinkedHashMap<>(initial);
    }

    /** A copy of the data, for writing the cookie. */
    synchronized Map<String, Object> snapshot() {
        return new LinkedHashMap<>(values);
    }

    private static Object checked(Object value) {
        TaggedJsonWriter.dumps(value);
        return value;
    }

    @Override
    public synchronized int size() {
        return values.size();
    }

    @Override
    public synchronized boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public synchronized boolean containsValue(Object value) {
        return values.containsValue(value);
    }

    @Override
    public synchronized @Nullable Object get(Object key) {
        return values.get(key);
    }

    @Override
    public synchronized Object getOrDefault(Object key, Object defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    @Override
    public synchronized Object put(String key, Object value) {
        if (key == null) {
            throw new NullPointerException("A session key cannot be null");
        }
        modified = true;
        return values.put(key, checked(value));
    }

    @Override
    public synchronized void putAll(Map<? extends String, ?> more) {
        modified = true;
        more.forEach((key, value) -> {
            if (key == null) {
                throw new NullPointerException("A session key cannot be null");
            }
            values.put(key, checked(value));
        });
    }

    @Override
    public synchronized @Nullable Object remove(Object key) {
        // Werkzeug's pop marks the session modified only when the key was there: no cookie for a no-op.
        if (!values.containsKey(key)) {
            return null;
        }
        modified = true;
        return values.remove(key);
    }

    @Override
    public synchronized void clear() {
        // Flask marks even an empty session modified on clear(), which sends the deletion cookie.
        modified = true;
        values.clear();
    }

    @Override
    public synchronized Set<Entry<String, Object>> entrySet() {
        if (entries == null) {
            entries = new Entries();
        }
        return entries;
    }

    @Override
    public synchronized boolean isNew() {
        return false;
    }

    @Override
    public synchronized boolean isModified() {
        return modified;
    }

    @Override
    public synchronized void markModified() {
        modified = true;
    }

    @Override
    public synchronized void setModified(boolean modified) {
        this.modified = modified;
    }

    /** The cookie is the session and only the server signs one: there is no id an attacker could plant. */
    @Override
    public void regenerate() {
    }

    @Override
    public boolean isAccessed() {
        return accessed;
    }

    @Override
    public void markAccessed() {
        // Read first: every session() call marks it, and a volatile write is a full fence each time.
        if (!accessed) {
            accessed = true;
        }
    }

    @Override
    public synchronized boolean equals(Object other) {
        return other == this || values.equals(other);
    }

    @Override
    public synchronized int hashCode() {
        return values.hashCode();
    }

    /** Python's repr of a session: {@code <SecureCookieSession {'user': 'alice'}>}. */
    @Override
    public synchronized String toString() {
        return "<SecureCookieSession " + values + ">";
    }

    /** The entries, writing through to the session and marking it modified. */
    private final class Entries extends AbstractSet<Entry<String, Object>> {

        @Override
        public int size() {
            return SecureCookieSession.this.size();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
            Iterator<Entry<String, Object>> inner;
            synchronized (SecureCookieSession.this) {
                inner = values.entrySet().iterator();
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return inner.hasNext();
                }

                @Override
                public Entry<String, Object> next() {
                    Entry<String, Object> entry = inner.next();
                    return new SimpleEntry<>(entry) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        public Object setValue(Object value) {
                            Object stored = checked(value);
                            synchronized (SecureCookieSession.this) {
                                modified = true;
                                super.setValue(stored);
                                return entry.setValue(stored);
                            }
                        }
                    };
                }

                @Override
                public void remove() {
                    synchronized (SecureCookieSession.this) {
                        modified = true;
                        inner.remove();
                    }
                }
            };
        }
    }
}
