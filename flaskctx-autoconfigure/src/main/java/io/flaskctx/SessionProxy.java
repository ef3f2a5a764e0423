package io.flaskctx;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Flask's module-level {@code session}: every call goes to the session of the current request context.
 * Written out by hand, like {@link GProxy}, and forwarding every default method too, so that the session's
 * own versions (and their modification tracking) run. A class rather than an enum, so that {@code equals}
 * and {@code hashCode} can follow the map contract.
 */
final class SessionProxy implements Session {

    static final SessionProxy INSTANCE = new SessionProxy();

    private SessionProxy() {
    }

    private static Session current() {
        return Globals.requestContext().session();
    }

    @Override
    public boolean isNew() {
        return current().isNew();
    }

    @Override
    public boolean isModified() {
        return current().isModified();
    }

    @Override
    public void markModified() {
        current().markModified();
    }

    @Override
    public void setModified(boolean modified) {
        current().setModified(modified);
    }

    @Override
    public void regenerate() {
        current().regenerate();
    }

    @Override
    public boolean isAccessed() {
        return current().isAccessed();
    }

    @Override
    public void markAccessed() {
        current().markAccessed();
    }

    @Override
    public boolean isPermanent() {
        return current().isPermanent();
    }

    @Override
    public void setPermanent(boolean permanent) {
        current().setPermanent(permanent);
    }

    @Override
    public int size() {
        return current().size();
    }

    @Override
    public boolean isEmpty() {
        return current().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return current().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return current().containsValue(value);
    }

    @Override
    public @Nullable Object get(Object key) {
        return current().get(key);
    }

    @Override
    public Object put(String key, Object value) {
        return current().put(key, value);
    }

    @Override
    public @Nullable Object remove(Object key) {
        return current().remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ?> values) {
        current().putAll(values);
    }

    @Override
    public void clear() {
        current().clear();
    }

    @Override
    public Set<String> keySet() {
        return current().keySet();
    }

    @Override
    public Collection<Object> values() {
        return current().values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return current().entrySet();
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        return current().getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        current().forEach(action);
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        current().replaceAll(function);
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        return current().putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key, Object value) {
        return current().remove(key, value);
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        return current().replace(key, oldValue, newValue);
    }

    @Override
    public Object replace(String key, Object value) {
        return current().replace(key, value);
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        return current().computeIfAbsent(key, mappingFunction);
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        return current().computeIfPresent(key, remappingFunction);
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
        return current().compute(key, remappingFunction);
    }

    @Override
    public Object merge(String key, Object value,
            BiFunction<? super Object, ? super Object, ?> remappingFunction) {
        return current().merge(key, value, remappingFunction);
    }

    // Outside a request these fall back to identity: containers may hash or compare beans at any time.
    @Override
    public boolean equals(Object other) {
        RequestContext top = Globals.REQUEST.top();
        return other == this || top != null && top.session().equals(other);
    }

    @Override
    public int hashCode() {
        RequestContext top = Globals.REQUEST.top();
        return top == null ? System.identityHashCode(this) : top.session().hashCode();
    }

    /** Python's repr of the current session, or {@code <LocalProxy unbound>} outside a request. */
    @Override
    public String toString() {
        RequestContext top = Globals.REQUEST.top();
        return top == null ? "<LocalProxy unbound>" : top.session().toString();
    }
}
