package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With every endpoint's show-values at {@code always}, no secret of the app's config reaches the client: not
 * through the {@code flaskctx} endpoint (nested maps, lists, URIs with a password, the names Flask apps use for
 * secrets), and not through Boot's {@code env} and {@code configprops}, which list {@code flaskctx.config.*} as
 * properties. Each secret is a distinct marker, looked for anywhere in the JSON.
 */
@SpringBootTest(classes = ObservabilityApp.class, properties = {"flaskctx.app-name=guarded",
        "flaskctx.config.SECRET_KEY=marker-secret-key-0123456789",
        "flaskctx.config.SECRET_KEY_FALLBACKS[0]=marker-fallback-0123456789",
        "flaskctx.config.MAIL.SERVER=smtp.example.org", "flaskctx.config.MAIL.PASSWORD=marker-mail",
        "flaskctx.config.DATABASES[0].HOST=db.internal", "flaskctx.config.DATABASES[0].PASSWORD=marker-db",
        "flaskctx.config.PASSWD=marker-passwd", "flaskctx.config.PWD=marker-pwd", "flaskctx.config.DB_PASS=marker-dbpass",
        "flaskctx.config.AUTH=marker-auth", "flaskctx.config.CSRF_SALT=marker-salt",
        "flaskctx.config.SENTRY_DSN=https://marker-dsn@sentry.example.org/1",
        "flaskctx.config.DATABASE_URL=postgres://app:marker-url@db.internal/app",
        "flaskctx.apps.admin.mount=/admin", "flaskctx.apps.admin.config.SECRET_KEY=marker-admin-key-0123456789",
        "management.endpoints.web.exposure.include=flaskctx,env,configprops",
        "management.endpoint.flaskctx.show-values=always", "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always"})
@AutoConfigureMockMvc
class SecretsInEndpointsTest {

    private static final List<String> MARKERS = List.of("marker-secret-key", "marker-fallback", "marker-mail",
            "marker-db", "marker-passwd", "marker-pwd", "marker-dbpass", "marker-auth", "marker-salt", "marker-dsn",
            "marker-url", "marker-admin-key");

    @Autowired
    MockMvc mvc;

    private String body(String path) throws Exception {
        return mvc.perform(get(path)).andReturn().getResponse().getContentAsString();
    }

    @Test
    void theFlaskctxEndpointShowsNoSecretAtAnyDepth() throws Exception {
        String body = body("/actuator/flaskctx");
        for (String marker : MARKERS) {
            assertThat(body).as(marker).doesNotContain(marker);
        }
        // values that are no secret are shown, the user of a URI too
        assertThat(body).contains("smtp.example.org").contains("db.internal")
                .contains("postgres://app:******@db.internal/app");
    }

    @Test
    void bootsEnvEndpointShowsNoFlaskSecret() throws Exception {
        String body = body("/actuator/env");
        assertThat(body).contains("flaskctx.config.SECRET_KEY").contains("smtp.example.org");
        for (String marker : MARKERS) {
            assertThat(body).as(marker).doesNotContain(marker);
        }
        assertThat(body("/actuator/env/flaskctx.config.SECRET_KEY")).doesNotContain("marker-secret-key");
    }

    @Test
    void bootsConfigpropsEndpointShowsNoFlaskSecret() throws Exception {
        String body = body("/actuator/configprops");
        assertThat(body).contains("SECRET_KEY").contains("smtp.example.org");
        for (String marker : MARKERS) {
            assertThat(body).as(marker).doesNotContain(marker);
        }
    }
}
