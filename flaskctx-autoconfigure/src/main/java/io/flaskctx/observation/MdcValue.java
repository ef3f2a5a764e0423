package io.flaskctx.observation;

import java.util.Objects;
import java.util.function.Function;

/**
 * How one {@code g} value is written into the logging context (flaskctx only; Flask leaves logging to the
 * application): a value of {@code g} listed in {@code flaskctx.logging.mdc-keys} goes into SLF4J's MDC as its
 * {@code toString()}, unless a bean of this type for its key says otherwise.
 *
 * <pre>{@code
 * @Bean
 * MdcValue userInLogs() {
 *     return MdcValue.of("user", user -> ((User) user).name());
 * }
 * }</pre>
 *
 * @param key the name in {@code g}, also the MDC key
 * @param format turns the value (never null) into the text logged; returning null leaves the key out
 */
public record MdcValue(String key, Function<Object, String> format) {

    /**
     * Creates a {@code MdcValue}.
     *
     * @param key the name in {@code g}, also the MDC key; not blank
     * @param format turns the value into text; not null
     */
    public MdcValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(format, "format");
        if (key.isBlank()) {
            throw new IllegalArgumentException("An MdcValue needs a key that is not blank");
        }
    }

    /**
     * Writes the {@code g} value under {@code key} with {@code format} instead of its {@code toString()}.
     *
     * @param key the name in {@code g}, also the MDC key
     * @param format turns the value into text; returning null leaves the key out
     * @return the mapping
     */
    public static MdcValue of(String key, Function<Object, String> format) {
        return new MdcValue(key, format);
    }

    /**
     * The text of a value: {@code toString()} unless a format is given.
     *
     * @param key the key
     * @return a mapping that logs {@code String.valueOf(value)}
     */
    static MdcValue plain(String key) {
        return new MdcValue(key, String::valueOf);
    }
}
