package io.flaskctx.smoke.nonweb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.devtools.settings.DevToolsSettings;

/**
 * DevTools' own settings loader finds flaskctx's development defaults on the classpath: the map its
 * {@code DevToolsPropertyDefaultsPostProcessor} adds to the environment of an application run with DevTools.
 */
class DevToolsDefaultsTest {

    @Test
    void devToolsTurnsPushSiteCaptureOnForDevelopment() {
        assertThat(DevToolsSettings.get().getPropertyDefaults())
                .containsEntry("flaskctx.debug.capture-push-sites", "true");
    }
}
