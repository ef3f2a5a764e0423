package io.flaskctx.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether a session signing key can be guessed: anyone who knows (or guesses) the key signs a cookie that logs
 * in as any user. Flask takes any key; flaskctx refuses, at start-up, a key shorter than 16 bytes, one made of a
 * single repeated character, and the placeholders of tutorials and READMEs (its own included).
 */
final class SecretKeyStrength {

    /** The fewest bytes accepted: 128 bits, were they random. {@code secrets.token_hex()} gives 64. */
    static final int MIN_BYTES = 16;

    // Compared lower-cased and trimmed; the short ones are caught by the length too, and listed for the message.
    private static final Set<String> PLACEHOLDERS = Set.of("change-me", "changeme", "change_me", "change-it",
            "changeit", "change-this", "secret", "secret-key", "secret_key", "secretkey", "my-secret",
            "my-secret-key", "your-secret-key", "your_secret_key", "dev", "development", "dev-key", "devkey",
            "test", "testing", "test-key", "key", "password", "default", "replace-me", "replaceme", "todo", "s3cr3t",
            "supersecret", "super-secret", "super-secret-key", "not-a-secret", "insecure", "flask",
            "the-same-long-random-key",
            "your-secret-key-here", "change-me-in-production", "changeme-in-production", "change-this-secret-key",
            "replace-with-a-secret-key", "replace-with-your-secret-key", "this-is-not-a-secret", "development-key",
            "insecure-development-key", "_5#y2l\"f4q8z\n\u00ec]/");

    private SecretKeyStrength() {
    }

    /**
     * @param key a {@code SECRET_KEY} or fallback: text or bytes
     * @return why the key is weak, to follow "is": null when it is not
     */
    static @Nullable String weakness(Object key) {
        byte[] bytes = key instanceof byte[] raw ? raw : String.valueOf(key).getBytes(StandardCharsets.UTF_8);
        if (key instanceof CharSequence text) {
            String normalised = text.toString().trim().toLowerCase(Locale.ROOT);
            if (PLACEHOLDERS.contains(normalised)) {
                return "a well-known placeholder ('" + text + "')";
            }
        }
        if (bytes.length < MIN_BYTES) {
            return bytes.length + " bytes long, shorter than the " + MIN_BYTES + " bytes flaskctx requires";
        }
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return null;
            }
        }
        return "one character repeated";
    }
}
