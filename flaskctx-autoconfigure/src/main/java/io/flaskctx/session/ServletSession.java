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

/**
 * A Flask session that is a view of the request's {@code HttpSession} attributes: every read and write goes
 * to {@code request.getSession()}, so other servlet code (and Spring Session's repositories) see the same
 * values. The {@code HttpSession} is created by the first write, not by reads, and is looked up on every call
 * so that one invalidated meanwhile is never used.
 *
 * <p>As the servlet API treats a null attribute as no attribute, putting null removes the key.
 */
final class ServletSession extends AbstractMap<String, Object> implements Session {

    private final HttpServletRequest request;
    private volatile boolean modified;
    private volatile boolean rewrite;
    private volatile boolean accessed;
    private Set<Entry<String, Object>> entries;

    ServletSession(HttpServletRequest request) {
        this.request = request;
    }

    private HttpSession existing() {
        return request.getSession(false);
    }

    /** Whether {@link #markModified()} asked for every attribute to be stored again. */
    boolean needsRewrite() {
        return rewrite;
    }

    private List<String> names() {
        HttpSession session = existing();
        return session == null ? List.of() : Collections.list(session.getAttributeNames());
    }

    @Override
    public Object get(Object key) {
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
        modified = true;
        HttpSession session = request.getSession(true);
        Object old = session.getAttribute(key);
        session.setAttribute(key, value);
        return old;
    }

    @Override
    public Object remove(Object key) {
        HttpSession session = existing();
        if (session == null || !(key instanceof String name)) {
            return null;
        }
        Object old = session.getAttribute(name);
        if (old == null) {
            // Werkzeug's pop of an absent key is no modification; the HttpSession is not written either.
            return null;
        }
        modified = true;
        session.removeAttribute(name);
        return old;
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
            for (String name : names()) {
                session.removeAttribute(name);
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
        accessed = true;
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
                private String current;

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
