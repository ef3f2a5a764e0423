package io.flaskctx.autoconfigure;

import io.flaskctx.Blueprint;
import io.flaskctx.Blueprints;
import io.flaskctx.FlaskApp;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Blueprint}s the application's beans declare, collected at start-up: checked (names, parents, cycles),
 * then registered on each app parents first, and the blueprint each hook method belongs to.
 */
final class BlueprintDeclarations {

    private record Declared(String name, String parent, String where) {
    }

    private final Map<String, Declared> declared = new LinkedHashMap<>();

    /** Records the blueprint of a bean class, if it has one. */
    void add(Class<?> userType) {
        Blueprint blueprint = Blueprints.declaredOn(userType);
        if (blueprint == null) {
            return;
        }
        String where = userType.getAnnotation(Blueprint.class) != null ? userType.getName()
                : "package " + userType.getPackageName();
        String name = blueprint.value();
        if (name.isBlank() || name.contains(".")) {
            throw new InvalidFlaskctxConfigurationException("@Blueprint(\"" + name + "\") on " + where + " is not a"
                    + " valid blueprint name: it must not be blank nor contain a dot (Flask refuses dotted names;"
                    + " the dots of Flask.blueprint() come from nesting).",
                    "Name the blueprint with a single word, and nest it with parent = \"...\".");
        }
        Declared found = new Declared(name, blueprint.parent(), where);
        Declared earlier = declared.putIfAbsent(name, found);
        if (earlier != null && !earlier.parent().equals(found.parent())) {
            throw new InvalidFlaskctxConfigurationException("Blueprint '" + name + "' is declared twice with"
                    + " different parents: on " + earlier.where() + " (parent '" + earlier.parent() + "') and on "
                    + where + " (parent '" + found.parent() + "').",
                    "Give every @Blueprint(\"" + name + "\") the same parent, or rename one of them.");
        }
    }

    /**
     * The blueprint a hook method belongs to: its annotation's {@code blueprint}, else its class's, else none.
     *
     * @return the name, or null for an app-wide hook
     */
    @Nullable String ofHook(Method method, Class<? extends Annotation> annotation, Class<?> beanType) {
        AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(method, annotation,
                false, false);
        String where = "@" + annotation.getSimpleName() + " method " + method.getDeclaringClass().getName() + "."
                + method.getName();
        if (attributes == null || !attributes.containsKey("blueprint")) {
            return null;
        }
        String named = attributes.getString("blueprint");
        if (attributes.getBoolean("appRequest")) {
            if (!named.isEmpty()) {
                throw new InvalidFlaskctxConfigurationException(where + " says both blueprint = \"" + named
                        + "\" and appRequest = true.", "Keep blueprint = \"" + named + "\" for that blueprint's"
                        + " requests only, or appRequest = true for every request of the app.");
            }
            return null;
        }
        if (!named.isEmpty()) {
            String own = named.contains(".") ? named.substring(named.lastIndexOf('.') + 1) : named;
            Declared blueprint = declared.get(own);
            if (blueprint == null || named.contains(".") && !fullName(blueprint).equals(named)) {
                throw new InvalidFlaskctxConfigurationException(where + " belongs to blueprint '" + named
                        + "', but no bean declares that blueprint; the blueprints are " + fullNames() + ".",
                        "Name one of those blueprints, or declare @Blueprint(\"" + own + "\") on a controller"
                                + " class or on a package (package-info.java).");
            }
            return named;
        }
        Blueprint ofClass = Blueprints.declaredOn(beanType);
        return ofClass == null ? null : ofClass.value();
    }

    /** Registers every blueprint on {@code app}, parents first. */
    void registerOn(FlaskApp app) {
        Set<String> done = new LinkedHashSet<>();
        for (Declared blueprint : declared.values()) {
            register(app, blueprint, done, new ArrayList<>());
        }
    }

    private void register(FlaskApp app, Declared blueprint, Set<String> done, List<String> path) {
        if (done.contains(blueprint.name())) {
            return;
        }
        if (path.contains(blueprint.name())) {
            path.add(blueprint.name());
            throw new InvalidFlaskctxConfigurationException("The blueprints nest in a cycle: "
                    + String.join(" is nested in ", path) + ".",
                    "Remove parent = \"...\" from one @Blueprint of the cycle (declared on " + blueprint.where()
                            + ").");
        }
        path.add(blueprint.name());
        if (!blueprint.parent().isEmpty()) {
            Declared parent = declared.get(blueprint.parent());
            if (parent == null) {
                throw new InvalidFlaskctxConfigurationException("Blueprint '" + blueprint.name() + "' on "
                        + blueprint.where() + " is nested in '" + blueprint.parent() + "', but no bean declares that"
                        + " blueprint; the blueprints are " + fullNames() + ".",
                        "Declare @Blueprint(\"" + blueprint.parent() + "\") on a controller class or package, or"
                                + " name an existing blueprint in parent = \"...\".");
            }
            register(app, parent, done, path);
        }
        app.registerBlueprint(blueprint.name(), blueprint.parent());
        done.add(blueprint.name());
    }

    private String fullName(Declared blueprint) {
        String name = blueprint.name();
        Declared current = blueprint;
        int depth = 0;
        while (!current.parent().isEmpty() && declared.containsKey(current.parent()) && depth++ < declared.size()) {
            current = declared.get(current.parent());
            name = current.name() + "." + name;
        }
        return name;
    }

    private List<String> fullNames() {
        return declared.values().stream().map(this::fullName).toList();
    }
}
