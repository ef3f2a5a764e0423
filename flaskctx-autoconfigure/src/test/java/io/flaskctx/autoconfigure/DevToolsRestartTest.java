package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AppContext;
import io.flaskctx.FlaskApp;
import io.flaskctx.actuate.FlaskctxEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Spring Boot DevTools: the development defaults flaskctx contributes, and a restart (a new application context in
 * the same JVM, flaskctx's classes kept by the base class loader) that must not see the previous application's state.
 */
class DevToolsRestartTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class,
                    FlaskObservabilityAutoConfiguration.class, WebMvcAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=flaskctx");

    @Test
    void theDevelopmentDefaultsNameRealPropertiesAndTurnPushSiteCaptureOn() throws IOException {
        Properties file = PropertiesLoaderUtils.loadProperties(new ClassPathResource("META-INF/spring-devtools.properties"));
        Map<String, Object> defaults = new HashMap<>();
        // DevTools' DevToolsSettings reads "defaults.<property>" entries and adds them as the lowest property source
        file.forEach((key, value) -> {
            assertThat((String) key).startsWith("defaults.flaskctx.");
            defaults.put(((String) key).substring("defaults.".length()), value);
        });
        FlaskProperties bound = new Binder(new MapConfigurationPropertySource(defaults))
                .bindOrCreate("flaskctx", FlaskProperties.class);
        assertThat(bound.getDebug().isCapturePushSites()).isTrue();
        runner.withPropertyValues(defaults.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new))
                .run(context -> assertThat(context.getBean(FlaskApp.class).capturesPushSites()).isTrue());
    }

    @Test
    void afterARestartTheEndpointCountsOnlyTheNewApplicationsContexts() {
        List<FlaskApp> previous = new ArrayList<>(); // what a restart leaves until the collector runs
        runner.run(first -> {
            FlaskApp app = first.getBean(FlaskApp.class);
            first.getBean(FlaskctxEndpoint.class);
            for (int i = 0; i < 3; i++) {
                app.appContext().push().close();
            }
            previous.add(app);
        });
        runner.run(restarted -> {
            FlaskApp app = restarted.getBean(FlaskApp.class);
            assertThat(app).isNotSameAs(previous.get(0));
            try (AppContext ignored = app.appContext().push()) {
                assertThat(appCounts(restarted.getBean(FlaskctxEndpoint.class))).containsEntry("pushed", 1L)
                        .containsEntry("active", 1L);
            }
        });
        assertThat(previous).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> appCounts(FlaskctxEndpoint endpoint) {
        Map<String, Object> contexts = (Map<String, Object>) endpoint.flaskctx(null).get("contexts");
        return (Map<String, Object>) contexts.get("app");
    }
}
