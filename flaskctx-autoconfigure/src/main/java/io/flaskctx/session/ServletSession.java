package io.flaskctx.session;

import io.flaskctx.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Flask session that is a view of the request's {@code HttpSession} attributes: every read and write goes
 * to {@code request.getSession()}, so other servlet code (and Spring Session's repositories) see the same
 * values. The {@code HttpSession} is created by the first write, not by reads, and is looked up on every call
 * so that one invalidated meanwhile is never used.
 *
 * <p>As the servlet API treats a null attribute as no attribute, putting null removes the key.
 *
 * <p>Requests of one visitor run at once and share the {@code HttpSession}. Every write, and every
 * read-modify-write of {@link Map} ({@code compute}, {@code merge}, {@code putIfAbsent}, ..., which
 * {@code flash()} uses), holds the session mutex, Spring MVC's convention: the
 * {@code WebUtils.SESSION_MUTEX_ATTRIBUTE} attribute when {@code HttpSessionMutexListener} set one, else the
 * {@code HttpSession} object. So concurrent requests never lose an update of the same key within one server;
 * across servers a shared store (Spring Session) decides.
 */
final class ServletSession extends AbstractMap<String, Object> implements Session {

    private final HttpServletRequest request;
    private volatile boolean modified;
    private volatile boolean rewrite;
    private volatile boolean accessed;
    private @Nullable Set<Entry<String, Object>> entries;

    ServletSession(HttpServletRequest request) {
        this.request = request;
    }

    /** Spring's {@code WebUtils.SESSION_MUTEX_ATTRIBUTE} (this package does not depend on Spring). */
    static final String MUTEX_ATTRIBUTE = "org.springframework.web.util.WebUtils.MUTEX";

    private HttpSession existing() {
        return request.getSession(false);
    }

    /** Spring's {@code WebUtils.getSessionMutex}: the registered mutex, else the session itself. */
    private static Object mutex(HttpSession session) {
        Object mutex = session.getAttribute(MUTEX_ATTRIBUTE);
        return mutex != null ? mutex : session;
    }

    /** Whether {@link #markModified()} asked for every attribute to be stored again. */
    boolean needsRewrite() {
        return rewrite;
    }

    /** Stores every attribute again (for stores that persist on {@code setAttribute}), holding the mutex. */
    void rewrite(HttpSession session) {
        synchronized (mutex(session)) {
            for (Map.Entry<String, Object> entry : snapshot().entrySet()) {
                session.setAttribute(entry.getKey(), entry.getValue());
            }
        }
    }

    private List<String> names() {
        HttpSession session = existing();
        return session == null ? List.of() : Collections.list(session.getAttributeNames());
    }

    @Override
    public @Nullable Object get(Object key) {
        HttpSession session = existing();
        return session == null || !(key instanceof String name) ? null : session.getAttribute(name);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return names().size();
    }

    @Override
    public boolean isEmpty() {
        HttpSession session = existing();
        return session == null || !session.getAttributeNames().hasMoreElements();
    }

    @Override
    public Object put(String key, Object value) {
        if (key == null) {
            throw new NullPointerException("A session key cannot be null");
        }
        HttpSession session = request.getSession(true);
        synchronized (mutex(session)) {
            modified = true;
            Object old = session.getAttribute(key);
            session.setAttribute(key, value);
            return old;
        }
    }

    @Override
    public @Nullable Object remove(Object key) {
        HttpSession session = existing();
        if (session == null || !(key instanceof String name)) {
            return null;
        }
        synchronized (mutex(session)) {
            Object old = session.getAttribute(name);
            if (old == null) {
                // Werkzeug's pop of an absent key is no modification; the HttpSession is not written either.
                return null;
            }
            modified = true;
            session.removeAttribute(name);
            return old;
        }
    }

    // Map's read-modify-write defaults call get and put: under the mutex (reentrant), they are atomic.

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        synchronized (mutex(request.getSession(true))) {
            return super.compute(key, remapping);
        }
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mapping) {
        synchronized (mutex(request.getSession(true))) {
            return super.computeIfAbsent(key, mapping);
        }
    }

    @Override
    public @Nullable Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        HttpSession session = existing();
        if (session == null) {
            return null;
        }
        synchronized (mutex(session)) {
            return super.computeIfPresent(key, remapping);
        }
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remapping) {
        synchronized (mutex(request.getSession(true))) {
            return super.merge(key, value, remapping);
        }
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        synchronized (mutex(request.getSession(true))) {
            return super.putIfAbsent(key, value);
        }
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        HttpSession session = existing();
        if (session == null) {
            return false;
        }
        synchronized (mutex(session)) {
            return super.replace(key, oldValue, newValue);
        }
    }

    @Override
    public @Nullable Object replace(String key, Object value) {
        HttpSession session = existing();
        if (session == null) {
            return null;
        }
        synchronized (mutex(session)) {
            return super.replace(key, value);
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        HttpSession session = existing();
        if (session == null) {
            return false;
        }
        synchronized (mutex(session)) {
            return super.remove(key, value);
        }
    }

    /**
     * Changes the {@code HttpSession}'s id, keeping its attributes ({@code HttpServletRequest.changeSessionId()});
     * the container sends the new id. Without an {@code HttpSession} there is no id to change: the first write
     * creates one with a fresh id.
     */
    @Override
    public void regenerate() {
        if (existing() != null) {
            request.changeSessionId();
        }
    }

    @Override
    public void putAll(Map<? extends String, ?> more) {
        // Werkzeug's update is a modification even when it adds nothing, as in the cookie store.
        modified = true;
        more.forEach(this::put);
    }

    @Override
    public void clear() {
        modified = true;
        HttpSession session = existing();
        if (session != null) {
            synchronized (mutex(session)) {
                for (String name : names()) {
                    session.removeAttribute(name);
                }
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        if (entries == null) {
            entries = new Entries();
        }
        return entries;
    }

    @Override
    public boolean isNew() {
        HttpSession session = existing();
        return session == null || session.isNew();
    }

    @Override
    public boolean isModified() {
        return modified;
    }

    @Override
    public void markModified() {
        modified = true;
        rewrite = true;
    }

    /**
     * False cancels what saving would do for the writes so far (store every value again after
     * {@link #markModified()}, invalidate an emptied session); the writes themselves are in the
     * {@code HttpSession} already.
     */
    @Override
    public void setModified(boolean modified) {
        if (modified) {
            markModified();
        } else {
            this.rewrite = false;
            this.modified = false;
        }
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
    public String toString() {
        HttpSession session = existing();
        return "<ServletSession " + (session == null ? "(none)" : session.getId()) + " " + snapshot() + ">";
    }

    /** The attributes, over the names present when iteration starts; writes go through to the HttpSession. */
    private final class Entries extends AbstractSet<Entry<String, Object>> {

        @Override
        public int size() {
            return ServletSession.this.size();
        }

        @Override
        public Iterator<Entry<String, Object>> iterator() {
            Iterator<String> names = names().iterator();
            return new Iterator<>() {
                private @Nullable String current;

                @Override
                public boolean hasNext() {
                    return names.hasNext();
                }

                @Override
                public Entry<String, Object> next() {
                    if (!names.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    String name = names.next();
                    current = name;
                    return new SimpleEntry<>(name, get(name)) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        public Object setValue(Object value) {
                            super.setValue(value);
                            return put(name, value);
                        }
                    };
                }

                @Override
                public void remove() {
                    if (current == null) {
                        throw new IllegalStateException();
                    }
                    ServletSession.this.remove(current);
                    current = null;
                }
            };
        }
    }

    /** The attribute names and values now, for {@link #toString()} and saving. */
    Map<String, Object> snapshot() {
        Map<String, Object> copy = new LinkedHashMap<>();
        HttpSession session = existing();
        if (session != null) {
            for (String name : names()) {
                copy.put(name, session.getAttribute(name));
            }
        }
        return copy;
    }
}
