package io.flaskctx.observation;

import io.flaskctx.AppContext;
import io.flaskctx.ContextListener;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import org.jspecify.annotations.Nullable;

/**
 * Keeps chosen {@code g} values in SLF4J's MDC while their app context is current on a thread, so every log line
 * of a request carries them (flaskctx only; Flask leaves logging to the application). A value goes in when it is
 * set in {@code g} and when a context holding it is pushed, also a copy on another thread ({@code @Async}, a
 * {@code Callable}, the task decorator, context-propagation), and leaves when it is removed or the context is
 * popped: the context under it gets its own values back, and when the thread holds no app context any more, the
 * MDC keys hold what they held before the first push (usually nothing). A value is written with its control
 * characters replaced by {@code _} and cut at 256 characters, as g values often come from the request. Add it with
 * {@link FlaskApp#addContextListener}; the starter does for {@code flaskctx.logging.mdc-keys}.
 */
public final class MdcContextListener implements ContextListener {

    private static final Log logger = LogFactory.getLog(MdcContextListener.class);
    /** The longest text an MDC value may have; longer ones are cut. */
    static final int MAX_LENGTH = 256;

    private final String[] keys;
    private final Map<String, MdcValue> values;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    // What the keys held before this thread's outermost app context was pushed; removed once it is popped.
    private final ThreadLocal<String[]> before = new ThreadLocal<>();

    /**
     * Creates a {@code MdcContextListener}.
     *
     * @param keys the names in {@code g} to log, also the MDC keys
     * @param formats how to write some of them; the others are written as their {@code toString()}
     * @throws IllegalArgumentException when a key is blank or a format is for a key that is not listed
     */
    public MdcContextListener(List<String> keys, List<MdcValue> formats) {
        Map<String, MdcValue> byKey = new LinkedHashMap<>();
        for (String key : keys) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("An MDC key must not be blank");
            }
            byKey.put(key, MdcValue.plain(key));
        }
        for (MdcValue format : formats) {
            if (!byKey.containsKey(format.key())) {
                throw new IllegalArgumentException("There is an MdcValue for '" + format.key()
                        + "', which is not one of the MDC keys " + byKey.keySet());
            }
            byKey.put(format.key(), format);
        }
        this.keys = byKey.keySet().toArray(new String[0]);
        this.values = Map.copyOf(byKey);
    }

    /** {@return the keys this listener keeps in the MDC} */
    public List<String> keys() {
        return List.of(keys);
    }

    @Override
    public void appContextPushed(AppContext context) {
        if (before.get() == null) {
            String[] saved = new String[keys.length];
            for (int i = 0; i < keys.length; i++) {
                saved[i] = MDC.get(keys[i]);
            }
            before.set(saved);
        }
        putAll(context.g());
    }

    @Override
    public void appContextPopped(AppContext context) {
        if (Flask.hasAppContext()) {
            putAll(Flask.g());
            return;
        }
        String[] saved = before.get();
        if (saved == null) {
            return;
        }
        before.remove();
        for (int i = 0; i < keys.length; i++) {
            if (saved[i] == null) {
                MDC.remove(keys[i]);
            } else {
                MDC.put(keys[i], saved[i]);
            }
        }
    }

    @Override
    public void gChanged(G g, String name) {
        MdcValue value = values.get(name);
        if (value != null) {
            put(value, g);
        }
    }

    private void putAll(G g) {
        for (String key : keys) {
            // keys and values are built together: every key has its value.
            put(Objects.requireNonNull(values.get(key)), g);
        }
    }

    private void put(MdcValue value, G g) {
        String key = value.key();
        Object held = g.get(key);
        String text = held == null ? null : safe(format(value, held));
        if (text == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, text);
        }
    }

    /**
     * g values often come from the request (a header, a token): a value must not be able to forge log lines or
     * flood them. Control characters (CR, LF, ...) become {@code _}, and the text is cut at
     * {@value #MAX_LENGTH} characters.
     */
    static @Nullable String safe(@Nullable String text) {
        if (text == null) {
            return null;
        }
        int length = Math.min(text.length(), MAX_LENGTH);
        StringBuilder cleaned = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (cleaned == null) {
                    cleaned = new StringBuilder(length).append(text, 0, i);
                }
                cleaned.append('_');
            } else if (cleaned != null) {
                cleaned.append(c);
            }
        }
        if (cleaned != null) {
            return cleaned.toString();
        }
        return length < text.length() ? text.substring(0, length) : text;
    }

    /** Logging must never fail the request: a format that throws leaves the key out, and is reported once. */
    private @Nullable String format(MdcValue value, Object held) {
        try {
            return value.format().apply(held);
        } catch (RuntimeException failure) {
            if (failed.add(value.key())) {
                logger.warn("flaskctx: the MdcValue for '" + value.key() + "' threw on a " + held.getClass().getName()
                        + "; the key is left out of the MDC (reported once)", failure);
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "<MdcContextListener " + List.of(keys) + ">";
    }
}
