package io.flaskctx;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code g} ({@code flask.ctx._AppCtxGlobals}): a namespace that lives exactly as long as one app
 * context, so in a web application as long as one request. A before hook loads the user into it, the view
 * and the after and teardown hooks read it, and the next request starts empty.
 *
 * <p>Names map to values; null is a value like any other ({@link #getOrDefault} returns the default only
 * for an absent name, as Flask's {@code g.get(name, default)} does). {@link #names()} keeps insertion order.
 * A {@code g} may be read and written from several threads at once.
 *
 * <p>Typed keys avoid casts: {@code static final G.Key<User> USER = G.Key.of("user", User.class);} then
 * {@code g.set(USER, user)} and {@code User u = g.get(USER)}. A key shares its name with the string API.
 *
 * <p>{@link #proxy()} (and the injectable {@code G} bean) is Flask's module-level {@code g}: a singleton
 * that resolves the current app context's {@code g} on every call.
 */
public interface G {

    /**
     * Returns the {@code g} proxy: every call goes to the {@code g} of the app context current on the calling
     * thread, and throws {@link OutsideContextException} when there is none.
     *
     * @return the proxy, a singleton
     */
    static G proxy() {
        return GProxy.INSTANCE;
    }

    /**
     * {@return the value, or null when the name is absent (or holds null)}
     *
     * @param name the name
     */
    @Nullable Object get(String name);

    /**
     * {@return the value or the default}
     *
     * @param name the name
     * @param defaultValue returned when the name is absent; a stored null is returned as null
     */
    @Nullable Object getOrDefault(String name, @Nullable Object defaultValue);

    /**
     * {@return the value, or null when absent}
     *
     * @param name the name
     * @param type the type the value must have
     * @param <T> that type
     * @throws ClassCastException naming the value's actual type when it is not a {@code type}
     */
    default <T> @Nullable T get(String name, Class<T> type) {
        return Key.of(name, type).cast(get(name));
    }

    /**
     * Stores a value (Flask's {@code g.name = value}). Setting an existing name keeps its place in
     * {@link #names()}.
     *
     * @param name the name, not null
     * @param value the value, null allowed
     */
    void set(String name, @Nullable Object value);

    /**
     * Removes a name and returns its value.
     *
     * @param name the name
     * @return the value it held
     * @throws java.util.NoSuchElementException when the name is absent (Flask raises {@code KeyError})
     */
    @Nullable Object pop(String name);

    /**
     * {@return the value it held, or the default}
     *
     * @param name the name
     * @param defaultValue returned when the name is absent
     */
    @Nullable Object pop(String name, @Nullable Object defaultValue);

    /**
     * Stores {@code value} unless the name is present (Flask's {@code g.setdefault}).
     *
     * @param name the name
     * @param value the value to store when absent, null allowed
     * @return the value now stored under the name
     */
    @Nullable Object setDefault(String name, @Nullable Object value);

    /**
     * Returns the value of {@code name}, storing the supplier's result first when the name is absent. Atomic:
     * concurrent callers see one supplier call's result.
     *
     * @param name the name
     * @param supplier computes the value; its null result is stored as null
     * @param <T> the value's type
     * @return the value now stored
     */
    <T> @Nullable T computeIfAbsent(String name, Supplier<? extends @Nullable T> supplier);

    /**
     * {@return true when the name is present (Flask's {@code name in g}), even when it holds null}
     *
     * @param name the name
     */
    boolean contains(String name);

    /**
     * {@return the names present, in insertion order (a copy)}
     */
    List<String> names();

    /**
     * {@return the value, or null when absent}
     *
     * @param key the typed key
     * @param <T> its type
     */
    default <T> @Nullable T get(Key<T> key) {
        return key.cast(get(key.name()));
    }

    /**
     * {@return the value or the default}
     *
     * @param key the typed key
     * @param defaultValue returned when absent
     * @param <T> its type
     */
    default <T> @Nullable T getOrDefault(Key<T> key, @Nullable T defaultValue) {
        return key.cast(getOrDefault(key.name(), defaultValue));
    }

    /**
     * Sets the value under a typed key.
     *
     * @param key the typed key
     * @param value the value, null allowed
     * @param <T> its type
     */
    default <T> void set(Key<T> key, @Nullable T value) {
        set(key.name(), key.cast(value));
    }

    /**
     * {@return the value it held}
     *
     * @param key the typed key
     * @param <T> its type
     * @throws java.util.NoSuchElementException when absent
     */
    default <T> @Nullable T pop(Key<T> key) {
        return key.cast(pop(key.name()));
    }

    /**
     * {@return the value it held, or the default}
     *
     * @param key the typed key
     * @param defaultValue returned when absent
     * @param <T> its type
     */
    default <T> @Nullable T pop(Key<T> key, @Nullable T defaultValue) {
        return key.cast(pop(key.name(), defaultValue));
    }

    /**
     * {@return the value now stored}
     *
     * @param key the typed key
     * @param value stored when absent
     * @param <T> its type
     */
    default <T> @Nullable T setDefault(Key<T> key, @Nullable T value) {
        return key.cast(setDefault(key.name(), key.cast(value)));
    }

    /**
     * {@return the value now stored}
     *
     * @param key the typed key
     * @param supplier computes the value when absent
     * @param <T> its type
     */
    default <T> @Nullable T computeIfAbsent(Key<T> key, Supplier<? extends T> supplier) {
        return key.cast(computeIfAbsent(key.name(), supplier));
    }

    /**
     * {@return true when its name is present}
     *
     * @param key the typed key
     */
    default boolean contains(Key<?> key) {
        return contains(key.name());
    }

    /**
     * A name in {@code g} together with the type of its value. A record, so that the JIT trusts its fields: read
     * through a {@code static final} key, the name and the type are constants, and a typed read costs no more
     * than a read by name.
     *
     * @param name the name in {@code g}
     * @param type the value's type (a reference type: {@code Integer.class}, not {@code int.class})
     * @param <T> the value's type
     */
    record Key<T>(String name, Class<T> type) {

        /**
         * Checks the parts of a key; {@link #of} reads better.
         *
         * @param name the name in {@code g}
         * @param type the value's type, a reference type
         * @throws IllegalArgumentException when {@code type} is primitive
         */
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("g key '" + name + "' needs a reference type, not " + type
                        + ": g stores objects (use the wrapper class, e.g. Integer.class)");
            }
        }

        /**
         * {@return the key}
         *
         * @param name the name in {@code g}
         * @param type the value's type (a reference type: {@code Integer.class}, not {@code int.class})
         * @param <T> that type
         */
        public static <T> Key<T> of(String name, Class<T> type) {
            return new Key<>(name, type);
        }

        @SuppressWarnings("unchecked") // checked by isInstance
        @Nullable T cast(@Nullable Object value) {
            if (value == null || type.isInstance(value)) {
                return (T) value;
            }
            throw new ClassCastException("g." + name + " holds a " + value.getClass().getName() + ", not a "
                    + type.getName());
        }

        @Override
        public String toString() {
            return "G.Key[" + name + ": " + type.getSimpleName() + "]";
        }
    }
}
