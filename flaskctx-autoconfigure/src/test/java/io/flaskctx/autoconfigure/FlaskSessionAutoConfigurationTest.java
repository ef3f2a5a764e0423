package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import io.flaskctx.actuate.SessionMetrics;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.flaskctx.session.ServletSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The session auto-configuration: which store, installed on the app, checked at start-up. */
class FlaskSessionAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(FlaskAutoConfiguration.class, FlaskSessionAutoConfiguration.class));

    static final class CustomStore implements SessionInterface {
        @Override
        public Session open(FlaskApp app, HttpServletRequest request) {
            return null;
        }

        @Override
        public void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response) {
        }
    }

    @Test
    void theCookieStoreIsTheDefaultAndIsInstalledOnTheApp() {
        runner.run(context -> {
            SessionInterface store = context.getBean(SessionInterface.class);
            assertThat(store).isInstanceOf(SecureCookieSessionInterface.class);
            assertThat(context.getBean(FlaskApp.class).sessionInterface()).isSameAs(store);
            assertThat(context.getBean(Session.class)).isSameAs(Session.proxy());
        });
    }

    @Test
    void theServletStoreIsChosenByProperty() {
        runner.withPropertyValues("flaskctx.session.store=Servlet").run(context ->
                assertThat(context.getBean(FlaskApp.class).sessionInterface()).isInstanceOf(ServletSessionInterface.class));
    }

    @Test
    void aSessionInterfaceBeanOfTheApplicationReplacesOurs() {
        runner.withBean(SessionInterface.class, CustomStore::new).run(context -> {
            assertThat(context).hasSingleBean(SessionInterface.class);
            assertThat(context.getBean(FlaskApp.class).sessionInterface()).isInstanceOf(CustomStore.class);
        });
    }

    @Test
    void aClockBeanDatesTheCookies() {
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=reference-secret-key")
                .withBean(Clock.class, () -> Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC))
                .run(context -> {
                    FlaskApp app = context.getBean(FlaskApp.class);
                    String cookie = ((SecureCookieSessionInterface) app.sessionInterface()).signingSerializer(app)
                            .dumps(Map.of("user", "alice"));
                    assertThat(cookie).isEqualTo("eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.4vyUI8vM4oRUt-bIkhDqIkrrWlo");
                });
    }

    @Test
    void nothingIsConfiguredWhenFlaskctxIsDisabled() {
        runner.withPropertyValues("flaskctx.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SessionInterface.class).doesNotHaveBean(Session.class));
    }

    @Test
    void refusedCookiesAreMeteredWhereAMeterRegistryIs() {
        runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(SessionMetrics.class);
            SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
            context.getBean(SessionMetrics.class).bindTo(registry);
            assertThat(registry.get("flaskctx.session.rejected").tag("reason", "signature").functionCounter().count())
                    .isZero();
            assertThat(registry.get("flaskctx.session.rejected").functionCounters()).hasSize(6);
        });
        runner.run(context -> assertThat(context).doesNotHaveBean(SessionMetrics.class));
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionMetrics.class));
    }

    private FailureAnalysis analysisOf(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("no FailureAnalysis for %s", (Object) properties).isNotNull();
        return analysis[0];
    }

    @Test
    void anUnknownStoreStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.session.store=redis");
        assertThat(analysis.getDescription()).contains("flaskctx.session.store is 'redis'");
        assertThat(analysis.getAction()).contains("Set flaskctx.session.store to cookie").contains("or servlet");
    }

    @Test
    void anInvalidSameSiteStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SESSION_COOKIE_SAMESITE=Sometimes");
        assertThat(analysis.getDescription()).contains("flaskctx.config.SESSION_COOKIE_SAMESITE is 'Sometimes'");
        assertThat(analysis.getAction()).contains("Strict, Lax or None");
    }

    @Test
    void aLifetimeThatIsNotADurationStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.PERMANENT_SESSION_LIFETIME=forever");
        assertThat(analysis.getDescription()).contains("flaskctx.config.PERMANENT_SESSION_LIFETIME cannot be used")
                .contains("forever");
        assertThat(analysis.getAction()).contains("31d");
    }

    @Test
    void aNegativeLifetimeStopsStartUpForTheServletStoreToo() {
        FailureAnalysis analysis = analysisOf("flaskctx.session.store=servlet",
                "flaskctx.config.PERMANENT_SESSION_LIFETIME=-1");
        assertThat(analysis.getDescription()).contains("negative duration");
    }

    @Test
    void aCookieNameWithASpaceStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SESSION_COOKIE_NAME=my session");
        assertThat(analysis.getDescription()).contains("'my session', which is not a cookie name");
        assertThat(analysis.getAction()).contains("Set flaskctx.config.SESSION_COOKIE_NAME");
    }

    @Test
    void aFlagThatIsNotABooleanStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SESSION_COOKIE_SECURE=maybe");
        assertThat(analysis.getDescription()).contains("SESSION_COOKIE_SECURE");
        assertThat(analysis.getAction()).contains("true or false");
    }

    @Test
    void aSecretKeyThatIsNotTextStopsStartUp() {
        runner.withBean(FlaskApp.class, () -> {
            FlaskApp app = new FlaskApp("numbers");
            app.config().put("SECRET_KEY", 12345);
            return app;
        }).run(context -> {
            FailureAnalysis analysis = new FlaskctxFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("flaskctx.config.SECRET_KEY holds a Integer");
            assertThat(analysis.getAction()).contains("secrets.token_hex()");
        });
    }
}
