package io.flaskctx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The blueprints of one app and the hooks each one runs. Registration happens at start-up; each registration
 * recomputes, per blueprint, the hooks a request of that blueprint runs (the app's, then each blueprint's from the
 * outermost to the innermost, each in registration order), so that a request only selects an array.
 */
final class BlueprintTree {

    /** One registered blueprint: its place in the nesting and its own hooks. */
    private static final Object[] NO_HOOKS = new Object[0];

    static final class Node {
        final String name;
        final @Nullable Node parent;
        final String fullName;
        final List<String> names;
        final Hooks<Object> before = new Hooks<>();
        final Hooks<Object> after = new Hooks<>();
        final Hooks<Object> teardown = new Hooks<>();
        final Hooks<Object> processors = new Hooks<>();
        // The hooks a request of this blueprint runs, app's first; after and teardown run them backwards.
        volatile Object[] beforeChain = NO_HOOKS;
        volatile Object[] afterChain = NO_HOOKS;
        volatile Object[] teardownChain = NO_HOOKS;
        volatile Object[] processorChain = NO_HOOKS;

        Node(String name, @Nullable Node parent) {
            this.name = name;
            this.parent = parent;
            this.fullName = parent == null ? name : parent.fullName + "." + name;
            List<String> chain = new ArrayList<>();
            chain.add(fullName);
            if (parent != null) {
                chain.addAll(parent.names);
            }
            this.names = Collections.unmodifiableList(chain);
        }

        @Override
        public String toString() {
            return fullName;
        }
    }

    // Whether some blueprint has teardown hooks of its own: read on every pop of a request context.
    private volatile boolean teardownHooks;
    // By declared name and by full (dotted) name; guarded by this.
    private final Map<String, Node> byName = new LinkedHashMap<>();

    synchronized Node register(String name, String parentName, Object[][] app) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.indexOf('.') >= 0) {
            throw new IllegalArgumentException("A blueprint name must not be blank nor contain a dot: '" + name + "'");
        }
        Node parent = null;
        if (parentName != null && !parentName.isEmpty()) {
            parent = byName.get(parentName);
            if (parent == null) {
                throw new IllegalArgumentException("Blueprint '" + name + "' is nested in '" + parentName
                        + "', which is not registered (register the parent first); the blueprints are " + names());
            }
        }
        Node existing = byName.get(name);
        if (existing != null) {
            if (existing.parent != parent) {
                throw new IllegalArgumentException("Blueprint '" + name + "' is registered already, nested in "
                        + (existing.parent == null ? "the app" : "'" + existing.parent.fullName + "'")
                        + "; it cannot also be nested in "
                        + (parent == null ? "the app" : "'" + parent.fullName + "'"));
            }
            return existing;
        }
        Node node = new Node(name, parent);
        byName.put(name, node);
        byName.putIfAbsent(node.fullName, node);
        rebuild(app);
        return node;
    }

    /** The blueprint of that declared or full name; @throws IllegalArgumentException when there is none */
    synchronized Node get(String name) {
        Node node = byName.get(name);
        if (node == null) {
            throw new IllegalArgumentException("No blueprint '" + name + "' is registered; the blueprints are "
                    + names());
        }
        return node;
    }

    synchronized boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** @return the full names of the registered blueprints, in registration order */
    synchronized List<String> names() {
        List<String> names = new ArrayList<>();
        for (Node node : byName.values()) {
            if (!names.contains(node.fullName)) {
                names.add(node.fullName);
            }
        }
        return names;
    }

    synchronized List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (Node node : byName.values()) {
            if (!nodes.contains(node)) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /**
     * Recomputes every blueprint's chains; called on each registration of a blueprint or of any hook.
     *
     * @param app the app's own before, after, teardown hooks and context processors, in that order
     */
    synchronized void rebuild(Object[][] app) {
        boolean anyTeardown = false;
        for (Node node : byName.values()) {
            anyTeardown |= !node.teardown.isEmpty();
            node.beforeChain = chain(node, app[0], n -> n.before);
            node.afterChain = chain(node, app[1], n -> n.after);
            node.teardownChain = chain(node, app[2], n -> n.teardown);
            node.processorChain = chain(node, app[3], n -> n.processors);
        }
        teardownHooks = anyTeardown;
    }

    /** @return whether some blueprint has teardown-request hooks of its own */
    boolean hasTeardownHooks() {
        return teardownHooks;
    }

    private static Object[] chain(Node node, Object[] app, Function<Node, Hooks<Object>> kind) {
        List<Node> outerFirst = new ArrayList<>();
        for (Node n = node; n != null; n = n.parent) {
            outerFirst.add(0, n);
        }
        List<Object> hooks = new ArrayList<>(List.of(app));
        for (Node n : outerFirst) {
            hooks.addAll(List.of(kind.apply(n).all()));
        }
        return hooks.toArray();
    }
}
