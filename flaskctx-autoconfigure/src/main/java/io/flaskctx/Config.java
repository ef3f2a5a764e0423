package io.flaskctx;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code app.config}: a map of settings whose keys are kept exactly as written, starting with Flask
 * 3.1's defaults for the keys flaskctx honours ({@code SECRET_KEY}, {@code PERMANENT_SESSION_LIFETIME},
 * {@code SESSION_COOKIE_*}, ...) and for {@code DEBUG} and {@code TESTING}.
 *
 * <p>Reads never lock and always see a complete config; writes (rare, mostly at start-up) replace it
 * atomically, so a config changed while requests run is safe. The views returned by {@link #entrySet()},
 * {@link #keySet()} and {@link #values()} are read-only snapshots: change the config through
 * {@link #put}, {@link #putAll}, {@link #remove} and {@link #clear}.
 *
 * <p>Values from {@code application.yml} often arrive as strings; {@link #get(String, Class)} converts the
 * common cases (booleans, numbers, durations, lists) and says clearly when it cannot.
 */
public final class Config extends AbstractMap<String, Object> {

    private static final Pattern SENSITIVE = Pattern.compile("(?i)secret|key|password|token|credential");
    private static final Pattern DURATION = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)?");

    private volatile Map<String, Object> values;

    /**
     * A config holding Flask 3.1's defaults for the keys flaskctx honours (the session's and its cookie's, and
     * {@code APPLICATION_ROOT}, the cookie path's fallback), plus {@code DEBUG} and {@code TESTING} for the
     * application's own code to read. Flask's other default keys ({@code MAX_CONTENT_LENGTH},
     * {@code TRUSTED_HOSTS}, {@code USE_X_SENDFILE}, ...) are left out: flaskctx does not act on them, and a key
     * that is listed should do what Flask does.
     */
    public Config() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("DEBUG", false);
        defaults.put("TESTING", false);
        defaults.put("SECRET_KEY", null);
        defaults.put("SECRET_KEY_FALLBACKS", null);
        defaults.put("PERMANENT_SESSION_LIFETIME", Duration.ofDays(31));
        defaults.put("APPLICATION_ROOT", "/");
        defaults.put("SESSION_COOKIE_NAME", "session");
        defaults.put("SESSION_COOKIE_DOMAIN", null);
        defaults.put("SESSION_COOKIE_PATH", null);
        defaults.put("SESSION_COOKIE_HTTPONLY", true);
        defaults.put("SESSION_COOKIE_SECURE", false);
        defaults.put("SESSION_COOKIE_PARTITIONED", false);
        defaults.put("SESSION_COOKIE_SAMESITE", null);
        defaults.put("SESSION_REFRESH_EACH_REQUEST", true);
        defaults.put("MAX_COOKIE_SIZE", 4093);
        values = Collections.unmodifiableMap(defaults);
    }

    @Override
    public @Nullable Object get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    @Override
    public synchronized Object put(String key, Object value) {
        Objects.requireNonNull(key, "config key");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        Object old = copy.put(key, value);
        values = Collections.unmodifiableMap(copy);
        return old;
    }

    @Override
    public synchronized void putAll(Map<? extends String, ?> more) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        more.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "config key"), value));
        values = Collections.unmodifiableMap(copy);
    }

    @Override
    public synchronized @Nullable Object remove(Object key) {
        if (!values.containsKey(key)) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        Object old = copy.remove(key);
        values = Collections.unmodifiableMap(copy);
        return old;
    }

    @Override
    public synchronized void clear() {
        values = Collections.emptyMap();
    }

    /**
     * Returns a value converted to {@code type}. Strings are converted to booleans ({@code true}/{@code false}),
     * numbers and {@link Duration}s (seconds as a number, {@code 3600}, {@code 30m}, {@code 31d}, or ISO-8601
     * {@code PT1H}); lists accept collections, arrays and comma-separated strings; anything converts to
     * {@code String}.
     *
     * @param key the config key
     * @param type the wanted type
     * @param <T> that type
     * @return the converted value, or null when the key is absent or holds null
     * @throws IllegalArgumentException naming the key, the value and the type when the value cannot be
     *     converted
     */
    public <T> @Nullable T get(String key, Class<T> type) {
        Object value = values.get(key);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        try {
            Object converted = convert(value, type);
            if (converted != null) {
                return type.cast(converted);
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("Config key '" + key + "' holds " + describe(key, value)
                + ", which cannot be read as " + type.getSimpleName());
    }

    /**
     * Returns the keys that start with {@code namespace}, with the namespace trimmed and the rest lower-cased
     * (Flask's {@code config.get_namespace('IMAGE_STORE_')}).
     *
     * @param namespace the key prefix, e.g. {@code "MAIL_"}
     * @return a new map of the matching keys, in config order
     */
    public Map<String, Object> getNamespace(String namespace) {
        return getNamespace(namespace, true, true);
    }

    /**
     * Flask's {@code config.get_namespace(namespace, lowercase, trim_namespace)}.
     *
     * @param namespace the key prefix
     * @param lowercase lower-case the resulting keys
     * @param trimNamespace remove the prefix from the resulting keys
     * @return a new map of the matching keys, in config order
     */
    public Map<String, Object> getNamespace(String namespace, boolean lowercase, boolean trimNamespace) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Entry<String, Object> entry : values.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(namespace)) {
                continue;
            }
            String name = trimNamespace ? key.substring(namespace.length()) : key;
            result.put(lowercase ? name.toLowerCase(Locale.ROOT) : name, entry.getValue());
        }
        return result;
    }

    private static @Nullable Object convert(Object value, Class<?> type) {
        if (type == String.class) {
            return String.valueOf(value);
        }
        String text = value instanceof CharSequence chars ? chars.toString().trim() : null;
        if (type == Boolean.class) {
            if ("true".equalsIgnoreCase(text)) {
                return true;
            }
            return "false".equalsIgnoreCase(text) ? false : null;
        }
        if (type == Integer.class) {
            // boxed on both sides: a value that is neither a number nor text must not unbox a null
            return value instanceof Number n ? Integer.valueOf(Math.toIntExact(wholeNumber(n)))
                    : text == null ? null : Integer.valueOf(text);
        }
        if (type == Long.class) {
            return value instanceof Number n ? Long.valueOf(wholeNumber(n)) : text == null ? null : Long.valueOf(text);
        }
        if (type == Double.class) {
            return value instanceof Number n ? Double.valueOf(n.doubleValue())
                    : text == null ? null : Double.valueOf(text);
        }
        if (type == Duration.class) {
            return value instanceof Number n ? Duration.ofSeconds(wholeNumber(n)) : text == null ? null : duration(text);
        }
        if (type == List.class) {
            return list(value);
        }
        return null;
    }

    private static long wholeNumber(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new ArithmeticException("not a whole number");
            }
        }
        return n.longValue();
    }

    private static @Nullable Duration duration(String text) {
        if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P")) {
            return Duration.parse(text);
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    private static @Nullable List<Object> list(Object value) {
        if (value instanceof Collection<?> items) {
            return new ArrayList<>(items);
        }
        if (value instanceof Object[] items) {
            return new ArrayList<>(Arrays.asList(items));
        }
        if (value instanceof Map<?, ?> indexed && isIndexed(indexed)) {
            // Spring binds a YAML list under a Map<String, Object> as {"0": ..., "1": ...}.
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < indexed.size(); i++) {
                items.add(indexed.get(String.valueOf(i)));
            }
            return items;
        }
        if (value instanceof CharSequence text) {
            List<Object> items = new ArrayList<>();
            for (String part : text.toString().split(",")) {
                if (!part.isBlank()) {
                    items.add(part.trim());
                }
            }
            return items;
        }
        return null;
    }

    private static boolean isIndexed(Map<?, ?> map) {
        for (int i = 0; i < map.size(); i++) {
            if (!map.containsKey(String.valueOf(i))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(String key, Object value) {
        if (SENSITIVE.matcher(key).find()) {
            return "a " + value.getClass().getSimpleName() + " (value hidden)";
        }
        String shown = String.valueOf(value);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return "a " + value.getClass().getSimpleName() + " (" + shown + ")";
    }
}
