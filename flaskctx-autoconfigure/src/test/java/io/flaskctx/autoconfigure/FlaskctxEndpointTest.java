package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.actuate.FlaskctxEndpoint;
import io.flaskctx.actuate.FlaskctxMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

class FlaskctxEndpointTest {

    private static FlaskApp app() {
        FlaskApp app = new FlaskApp("shop");
        app.config().put("SECRET_KEY", "s3cr3t");
        app.config().put("SECRET_KEY_FALLBACKS", List.of("old"));
        app.config().put("DB_PASSWORD", "hunter2");
        app.config().put("MAIL_SERVER", "smtp.example.org");
        app.teardownAppContext(e -> { });
        return app;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(FlaskctxEndpoint endpoint) {
        List<Map<String, Object>> apps = (List<Map<String, Object>>) endpoint.flaskctx(null).get("apps");
        return (Map<String, Object>) apps.get(0).get("config");
    }

    @Test
    void showValuesNeverMasksEverythingButFlasksSafeKeys() {
        Map<String, Object> config = config(new FlaskctxEndpoint(() -> List.of(app()), List.of(), Show.NEVER, Set.of()));
        assertThat(config).containsEntry("SECRET_KEY", "******").containsEntry("SECRET_KEY_FALLBACKS", "******")
                .containsEntry("DB_PASSWORD", "******").containsEntry("MAIL_SERVER", "******")
                .containsEntry("DEBUG", false).containsEntry("PERMANENT_SESSION_LIFETIME", "PT744H");
    }

    @Test
    void showValuesAlwaysStillNeverShowsSecrets() {
        Map<String, Object> config = config(new FlaskctxEndpoint(() -> List.of(app()), List.of(), Show.ALWAYS, Set.of()));
        assertThat(config).containsEntry("MAIL_SERVER", "smtp.example.org").containsEntry("SECRET_KEY", "******")
                .containsEntry("SECRET_KEY_FALLBACKS", "******").containsEntry("DB_PASSWORD", "******");
    }

    @Test
    void theApplicationsSanitizingFunctionsApply() {
        SanitizingFunction hideMail = data -> data.getKey().startsWith("MAIL_") ? data.withSanitizedValue() : data;
        Map<String, Object> config = config(
                new FlaskctxEndpoint(() -> List.of(app()), List.of(hideMail), Show.ALWAYS, Set.of()));
        assertThat(config).containsEntry("MAIL_SERVER", "******");
    }

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskWebMvcAutoConfiguration.class,
                    FlaskObservabilityAutoConfiguration.class, WebMvcAutoConfiguration.class))
            .withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class);

    @Test
    void metricsAreBoundWhenARegistryIsPresent() {
        runner.run(context -> assertThat(context).hasSingleBean(FlaskctxMetrics.class));
    }

    @Test
    void withoutMicrometerTheStarterStillWorks() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FlaskAutoConfiguration.class,
                        FlaskWebMvcAutoConfiguration.class, FlaskObservabilityAutoConfiguration.class,
                        WebMvcAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FlaskApp.class)
                        .doesNotHaveBean(FlaskctxMetrics.class));
    }

    @Test
    void withoutTheActuatorThereIsNoEndpoint() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FlaskApp.class)
                        .doesNotHaveBean(FlaskctxEndpoint.class));
    }
}
