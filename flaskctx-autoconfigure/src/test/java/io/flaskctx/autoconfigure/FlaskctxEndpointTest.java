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
import org.springframework.boot.actuate.endpoint.SanitizableData;
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

    @Test
    @SuppressWarnings("unchecked")
    void showValuesAlwaysMasksSecretsAtEveryDepthAndThePasswordsOfUris() {
        FlaskApp app = new FlaskApp("shop");
        app.config().put("MAIL", Map.of("SERVER", "smtp.example.org", "PASSWORD", "mail-pw"));
        app.config().put("DATABASES", List.of(Map.of("HOST", "db.internal", "PASSWORD", "db-pw")));
        for (String key : new String[] {"PASSWD", "PWD", "DB_PASS", "AUTH", "CSRF_SALT", "SENTRY_DSN", "API_TOKEN"}) {
            app.config().put(key, "hidden-" + key);
        }
        app.config().put("DATABASE_URL", "postgres://app:db-url-pw@db.internal/app");
        app.config().put("MIRRORS", List.of("https://deploy-token@git.example.org/repo.git", "https://example.org/"));
        Map<String, Object> config = config(new FlaskctxEndpoint(() -> List.of(app), List.of(), Show.ALWAYS, Set.of()));

        assertThat((Map<String, Object>) config.get("MAIL")).containsEntry("SERVER", "smtp.example.org")
                .containsEntry("PASSWORD", "******");
        assertThat((List<Map<String, Object>>) config.get("DATABASES")).containsExactly(
                Map.of("HOST", "db.internal", "PASSWORD", "******"));
        for (String key : new String[] {"PASSWD", "PWD", "DB_PASS", "AUTH", "CSRF_SALT", "SENTRY_DSN", "API_TOKEN"}) {
            assertThat(config).as(key).containsEntry(key, "******");
        }
        assertThat(config).containsEntry("DATABASE_URL", "postgres://app:******@db.internal/app")
                .containsEntry("MIRRORS", List.of("https://******@git.example.org/repo.git", "https://example.org/"))
                .containsEntry("PERMANENT_SESSION_LIFETIME", "PT744H");
    }

    @Test
    void theConfigSanitizingFunctionMasksFlaskSecretsAsBootsEndpointsNameThem() {
        SanitizingFunction function = FlaskctxEndpoint.configSanitizingFunction();
        for (String key : new String[] {"flaskctx.config.SECRET_KEY", "flaskctx.config.SECRET_KEY_FALLBACKS[0]",
                "flaskctx.config.MAIL.PASSWORD", "flaskctx.config.DATABASES[0].PASSWORD", "flaskctx.config.DB_PASS",
                "flaskctx.apps.admin.config.SECRET_KEY", "FLASKCTX_CONFIG_SECRET_KEY", "flaskctx.config.dbpass"}) {
            assertThat(function.apply(new SanitizableData(null, key, "hunter2")).getValue()).as(key).isEqualTo("******");
        }
        assertThat(function.apply(new SanitizableData(null, "flaskctx.config.DATABASE_URL", "postgres://u:pw@db/app"))
                .getValue()).isEqualTo("postgres://u:******@db/app");
        assertThat(function.apply(new SanitizableData(null, "flaskctx.config.MAIL_SERVER", "smtp.example.org"))
                .getValue()).isEqualTo("smtp.example.org");
        // not ours to judge: other properties keep Boot's rules
        assertThat(function.apply(new SanitizableData(null, "flaskctx.session.allow-weak-key", "false")).getValue())
                .isEqualTo("false");
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
