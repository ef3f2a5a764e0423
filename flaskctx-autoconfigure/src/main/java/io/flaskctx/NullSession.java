package io.flaskctx;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Flask's {@code NullSession}: the session of a request when the app cannot keep sessions (the cookie store
 * without a {@code SECRET_KEY}). It reads as empty, so code that only looks for a value keeps working, and
 * every write fails with Flask's message, adapted to name the property that fixes it.
 */
final class NullSession extends AbstractMap<String, Object> implements Session {

    static final String MESSAGE = "The session is unavailable because no secret key was set.  Set"
            + " flaskctx.config.SECRET_KEY (app.config().put(\"SECRET_KEY\", ...) without Spring) to something"
            + " unique and secret, or keep sessions in the HttpSession with flaskctx.session.store=servlet.";

    private boolean accessed;

    private static IllegalStateException unavailable() {
        return new IllegalStateException(MESSAGE);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return Collections.emptySet();
    }

    @Override
    public Object put(String key, Object value) {
        throw unavailable();
    }

    @Override
    public Object remove(Object key) {
        throw unavailable();
    }

    @Override
    public void putAll(Map<? extends String, ?> values) {
        throw unavailable();
    }

    @Override
    public void clear() {
        throw unavailable();
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        throw unavailable();
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        throw unavailable();
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        throw unavailable();
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
        throw unavailable();
    }

    @Override
    public boolean isNew() {
        return false;
    }

    @Override
    public boolean isModified() {
        return false;
    }

    @Override
    public void markModified() {
        // Flask allows setting modified on a NullSession; it is never saved anyway.
    }

    @Override
    public void setModified(boolean modified) {
        // as markModified(): allowed, and nothing to save either way
    }

    @Override
    public void regenerate() {
        // no session, no id
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
        return "<NullSession {}>";
    }
}
