package io.flaskctx.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An object that forwards every call to whatever a lookup returns at the moment of the call: Werkzeug's
 * {@code LocalProxy}.
 *
 * <p>This is how Flask's {@code current_app}, {@code g} and {@code request} can be module-level names
 * and still mean "the one of the current context": the proxy is created once, and the lookup runs again on
 * every call. Java proxies need an interface type. flaskctx's own proxies ({@code G.proxy()},
 * {@code CurrentApp.proxy()}) are written by hand and use no reflection; this class is for your own types.
 */
public final class LocalProxy {

    private static final String UNBOUND = "<LocalProxy unbound>";

    private LocalProxy() {
    }

    /**
     * Creates a proxy of {@code type} whose every method call resolves {@code lookup} again and forwards the
     * call to the object it returns.
     *
     * <p>{@code toString()} answers {@code <LocalProxy unbound>} when the lookup fails with an
     * {@link IllegalStateException} (as Werkzeug's {@code repr} does); every other method lets the lookup's
     * exception through unchanged. {@code equals} and {@code hashCode} are those of the current object.
     *
     * @param type an interface the proxy implements
     * @param lookup returns the object to forward to; it must not return null
     * @param <T> the proxied type
     * @return the proxy
     * @throws IllegalArgumentException if {@code type} is not an interface
     */
    public static <T> T of(Class<T> type, Supplier<? extends T> lookup) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(lookup, "lookup");
        if (!type.isInterface()) {
            throw new IllegalArgumentException("LocalProxy.of needs an interface, but " + type.getName()
                    + " is a class. Proxy an interface it implements, or call the lookup yourself.");
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Forwarder(type, lookup)));
    }

    /**
     * Returns the object a proxy made by {@link #of} currently stands for (Werkzeug's
     * {@code _get_current_object()}); any other object is returned as it is.
     *
     * @param maybeProxy a proxy or any object
     * @param <T> its type
     * @return the current object behind the proxy
     */
    public static <T> T unwrap(T maybeProxy) {
        if (maybeProxy != null && Proxy.isProxyClass(maybeProxy.getClass())
                && Proxy.getInvocationHandler(maybeProxy) instanceof Forwarder forwarder) {
            @SuppressWarnings("unchecked")
            T current = (T) forwarder.resolve();
            return current;
        }
        return maybeProxy;
    }

    private static final class Forwarder implements InvocationHandler {

        private final Class<?> type;
        private final Supplier<?> lookup;

        Forwarder(Class<?> type, Supplier<?> lookup) {
            this.type = type;
            this.lookup = lookup;
        }

        Object resolve() {
            Object current = lookup.get();
            if (current == null) {
                throw new IllegalStateException("The lookup of a LocalProxy of " + type.getName()
                        + " returned null: nothing is bound to it on this thread.");
            }
            return current;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "toString":
                        try {
                            return String.valueOf(resolve());
                        } catch (IllegalStateException unbound) {
                            return UNBOUND;
                        }
                    case "equals":
                        return resolve().equals(unwrap(args[0]));
                    case "hashCode":
                        return resolve().hashCode();
                    default:
                        break;
                }
            }
            Object target = resolve();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
