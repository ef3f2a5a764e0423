package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private final Config config = new Config();

    @Test
    void startsWithFlasksDefaultKeysAndValues() {
        assertThat(config).containsEntry("DEBUG", false).containsEntry("TESTING", false)
                .containsEntry("SECRET_KEY", null).containsEntry("SECRET_KEY_FALLBACKS", null)
                .containsEntry("PERMANENT_SESSION_LIFETIME", Duration.ofDays(31))
                .containsEntry("APPLICATION_ROOT", "/").containsEntry("SESSION_COOKIE_NAME", "session")
                .containsEntry("SESSION_COOKIE_HTTPONLY", true).containsEntry("SESSION_REFRESH_EACH_REQUEST", true)
                .containsEntry("MAX_COOKIE_SIZE", 4093);
        assertThat(config.keySet()).hasSize(15).startsWith("DEBUG", "TESTING", "SECRET_KEY");
    }

    /** Found by NullAway: a value neither a number nor text unboxed a null instead of saying what was wrong. */
    @Test
    void aValueOfAnotherKindIsAClearErrorNotANullPointerException() {
        config.put("MAX_COOKIE_SIZE", true);
        config.put("RATIO", List.of(1));
        assertThatIllegalArgumentException().isThrownBy(() -> config.get("MAX_COOKIE_SIZE", Integer.class))
                .withMessageContaining("MAX_COOKIE_SIZE");
        assertThatIllegalArgumentException().isThrownBy(() -> config.get("MAX_COOKIE_SIZE", Long.class));
        assertThatIllegalArgumentException().isThrownBy(() -> config.get("RATIO", Double.class));
    }

    /** Keys flaskctx does not act on are not listed (in the actuator endpoint either) as if they worked. */
    @Test
    void listsNoFlaskDefaultItDoesNotHonour() {
        assertThat(config).doesNotContainKeys("MAX_CONTENT_LENGTH", "TRUSTED_HOSTS", "USE_X_SENDFILE", "SERVER_NAME",
                "PROPAGATE_EXCEPTIONS", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS", "SEND_FILE_MAX_AGE_DEFAULT",
                "TRAP_BAD_REQUEST_ERRORS", "TRAP_HTTP_EXCEPTIONS", "EXPLAIN_TEMPLATE_LOADING", "PREFERRED_URL_SCHEME",
                "TEMPLATES_AUTO_RELOAD", "PROVIDE_AUTOMATIC_OPTIONS");
    }

    @Test
    void keysAreKeptExactlyAsWrittenAndInOrder() {
        config.clear();
        config.put("MAIL_SERVER", "smtp");
        config.put("mail_port", 25);
        config.put("MAIL_SERVER", "smtp2");
        assertThat(config.keySet()).containsExactly("MAIL_SERVER", "mail_port");
        assertThat(config.get("mail_server")).isNull();
    }

    @Test
    void typedGetConvertsStringsFromPropertiesFiles() {
        config.put("DEBUG", "true");
        config.put("PORT", "8025");
        config.put("BIG", 12L);
        config.put("LIFETIME", "3600");
        config.put("LIFETIME_UNIT", "30m");
        config.put("LIFETIME_ISO", "PT2H");
        config.put("FALLBACKS", "old-key, older-key");
        config.put("INDEXED", Map.of("0", "a", "1", "b"));
        assertThat(config.get("DEBUG", Boolean.class)).isTrue();
        assertThat(config.get("PORT", Integer.class)).isEqualTo(8025);
        assertThat(config.get("BIG", Integer.class)).isEqualTo(12);
        assertThat(config.get("LIFETIME", Duration.class)).isEqualTo(Duration.ofHours(1));
        assertThat(config.get("LIFETIME_UNIT", Duration.class)).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.get("LIFETIME_ISO", Duration.class)).isEqualTo(Duration.ofHours(2));
        assertThat(config.get("PERMANENT_SESSION_LIFETIME", Duration.class)).isEqualTo(Duration.ofDays(31));
        assertThat(config.get("FALLBACKS", List.class)).containsExactly("old-key", "older-key");
        assertThat(config.get("INDEXED", List.class)).containsExactly("a", "b");
        assertThat(config.get("PORT", String.class)).isEqualTo("8025");
        assertThat(config.get("ABSENT", Integer.class)).isNull();
    }

    @Test
    void typedGetRejectsWhatItCannotConvertNamingKeyValueAndType() {
        config.put("DEBUG", "yes please");
        config.put("PORT", "eighty");
        assertThatIllegalArgumentException().isThrownBy(() -> config.get("DEBUG", Boolean.class))
                .withMessage("Config key 'DEBUG' holds a String (yes please), which cannot be read as Boolean");
        assertThatIllegalArgumentException().isThrownBy(() -> config.get("PORT", Integer.class))
                .withMessageContaining("'PORT'");
    }

    @Test
    void typedGetNeverPrintsSecrets() {
        config.put("SECRET_KEY", "hunter2");
        assertThatThrownBy(() -> config.get("SECRET_KEY", Integer.class))
                .hasMessageContaining("value hidden").hasMessageNotContaining("hunter2");
    }

    @Test
    void getNamespaceTrimsAndLowerCasesLikeFlask() {
        config.put("IMAGE_STORE_TYPE", "fs");
        config.put("IMAGE_STORE_PATH", "/var/app/images");
        config.put("IMAGE_STORE_BASE_URL", "http://img.website.com");
        assertThat(config.getNamespace("IMAGE_STORE_")).containsExactly(
                Map.entry("type", "fs"), Map.entry("path", "/var/app/images"),
                Map.entry("base_url", "http://img.website.com"));
        assertThat(config.getNamespace("IMAGE_STORE_", false, false)).containsOnlyKeys(
                "IMAGE_STORE_TYPE", "IMAGE_STORE_PATH", "IMAGE_STORE_BASE_URL");
    }

    @Test
    void viewsAreReadOnlySnapshots() {
        Map<String, Object> before = Map.copyOf(new java.util.HashMap<>(Map.of("k", 1)));
        config.put("k", 1);
        var keys = config.keySet();
        assertThatThrownBy(() -> keys.remove("k")).isInstanceOf(UnsupportedOperationException.class);
        config.remove("k");
        assertThat(config.containsKey("k")).isFalse();
        assertThat(before).containsKey("k");
    }
}
