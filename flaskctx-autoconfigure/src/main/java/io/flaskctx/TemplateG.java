package io.flaskctx;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code g} as templates see it: a live, read-only map over the app context's {@link G}, so that every template
 * language reads {@code g.user} as Flask's Jinja does (their property syntax reads maps, not {@code G}'s methods).
 */
final class TemplateG extends AbstractMap<String, Object> {

    private final G g;

    TemplateG(G g) {
        this.g = g;
    }

    @Override
    public @Nullable Object get(Object key) {
        return key instanceof String name ? g.get(name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && g.contains(name);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (String name : g.names()) {
            copy.put(name, g.get(name));
        }
        return copy.entrySet();
    }

    @Override
    public String toString() {
        return g.toString();
    }
}
