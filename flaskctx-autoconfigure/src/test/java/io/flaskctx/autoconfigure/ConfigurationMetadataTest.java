package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What IDEs read: the configuration metadata the build writes into flaskctx-autoconfigure's jar (the processor's
 * output merged with {@code META-INF/additional-spring-configuration-metadata.json}).
 */
class ConfigurationMetadataTest {

    private static JsonNode metadata;

    @BeforeAll
    static void readTheGeneratedMetadata() throws Exception {
        Path classes = Path.of(FlaskProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path file = classes.resolve("META-INF/spring-configuration-metadata.json");
        assertThat(file).as("written by spring-boot-configuration-processor").exists();
        metadata = JsonMapper.builder().build().readTree(Files.readString(file));
    }

    private static JsonNode property(String name) {
        return StreamSupport.stream(metadata.get("properties").spliterator(), false)
                .filter(p -> p.get("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no property " + name));
    }

    private static List<String> hintValues(String name) {
        JsonNode hint = StreamSupport.stream(metadata.get("hints").spliterator(), false)
                .filter(h -> h.get("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no hint " + name));
        hint.get("values").forEach(v -> assertThat(v.get("description").asString()).as(v.toString()).isNotBlank());
        return StreamSupport.stream(hint.get("values").spliterator(), false).map(v -> v.get("value").asString())
                .toList();
    }

    @Test
    void theStoreIsAnEnumAndTheIdeOffersCookieAndServlet() {
        JsonNode store = property("flaskctx.session.store");
        assertThat(store.get("type").asString()).isEqualTo(FlaskSessionProperties.Store.class.getName());
        assertThat(store.get("defaultValue").asString()).isEqualToIgnoringCase("cookie");
        assertThat(hintValues("flaskctx.session.store")).containsExactly("cookie", "servlet");
    }

    @Test
    void theIncludePatternsDefaultIsRecorded() {
        JsonNode include = property("flaskctx.web.include-patterns");
        assertThat(include.get("defaultValue").isArray()).isTrue();
        assertThat(include.get("defaultValue").get(0).asString()).isEqualTo("/**");
        assertThat(include.get("description").asString()).contains("PathPattern");
    }

    @Test
    void theConfigKeysHintListsTheFlaskSettingsTheStarterHonours() {
        assertThat(property("flaskctx.config").get("type").asString()).startsWith("java.util.Map");
        assertThat(hintValues("flaskctx.config.keys")).contains("SECRET_KEY", "SECRET_KEY_FALLBACKS",
                "PERMANENT_SESSION_LIFETIME", "SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH",
                "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_SAMESITE",
                "SESSION_COOKIE_PARTITIONED", "SESSION_REFRESH_EACH_REQUEST", "APPLICATION_ROOT", "MAX_COOKIE_SIZE")
                // and nothing it does not honour
                .doesNotContain("MAX_CONTENT_LENGTH", "TRUSTED_HOSTS", "USE_X_SENDFILE")
                // every key hinted is one the config starts with, so the hint and the defaults agree
                .allSatisfy(key -> assertThat(new Config()).containsKey(key));
    }
}
