package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * Which {@link Blueprint} a class belongs to, as Flask knows which blueprint a view function was registered on:
 * the annotation on the class (a CGLIB proxy of a controller finds its class's; a superclass's does not count),
 * else the one on the class's package ({@code package-info.java}). The starter uses this one rule both to register
 * the blueprints at start-up and to give each request the blueprint of its handler.
 */
public final class Blueprints {

    private Blueprints() {
    }

    /**
     * Finds the blueprint a class belongs to: the annotation on the class, else the one on its package.
     *
     * @param type a controller (or any bean) class
     * @return its blueprint declaration, or null when it belongs to none
     */
    public static @Nullable Blueprint declaredOn(Class<?> type) {
        Class<?> userType = type;
        // A CGLIB proxy (Foo$$SpringCGLIB$$0) stands for the class it extends.
        while (userType.getName().contains("$$") && userType.getSuperclass() != null
                && userType.getSuperclass() != Object.class) {
            userType = userType.getSuperclass();
        }
        Blueprint onClass = userType.getAnnotation(Blueprint.class);
        if (onClass != null) {
            return onClass;
        }
        Package pkg = userType.getPackage();
        return pkg == null ? null : pkg.getAnnotation(Blueprint.class);
    }
}
