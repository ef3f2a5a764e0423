package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import io.flaskctx.actuate.SessionMetrics;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.flaskctx.session.ServletSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The session auto-configuration: which store, installed on the app, checked at start-up. */
@ExtendWith(OutputCaptureExtension.class)
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

    /** The property became an enum (for the IDE); the values users wrote for the string still bind. */
    @ParameterizedTest
    @ValueSource(strings = {"servlet", "SERVLET", " servlet "})
    void theStoreBindsAsBeforeWhateverTheCase(String value) {
        runner.withPropertyValues("flaskctx.session.store=" + value).run(context ->
                assertThat(context.getBean(FlaskApp.class).sessionInterface()).isInstanceOf(ServletSessionInterface.class));
        runner.withPropertyValues("flaskctx.session.store=" + value.replace("servlet", "cookie")
                .replace("SERVLET", "COOKIE"), "flaskctx.config.SECRET_KEY=a-long-enough-secret-key-0123456789")
                .run(context -> assertThat(context.getBean(FlaskApp.class).sessionInterface())
                        .isInstanceOf(SecureCookieSessionInterface.class));
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
            assertThat(registry.get("flaskctx.session.rejected").functionCounters()).hasSize(7);
            assertThat(registry.get("flaskctx.session.rejected").tag("reason", "too-large").functionCounter().count())
                    .isZero();
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
    void anUnknownStoreStopsStartUpWithBootsReportListingTheStores(CapturedOutput output) {
        SpringApplication application = new SpringApplication(StartupFailureTest.MinimalApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--flaskctx.session.store=redis", "--spring.main.banner-mode=off"))
                .isInstanceOf(Exception.class);
        assertThat(output).contains("APPLICATION FAILED TO START").contains("flaskctx.session.store")
                .contains("redis").contains("The following values are valid").contains("COOKIE").contains("SERVLET");
    }

    @Test
    void anEmptyStoreMeansTheDefaultCookieStore() {
        runner.withPropertyValues("flaskctx.session.store=").run(context ->
                assertThat(context.getBean(FlaskApp.class).sessionInterface())
                        .isInstanceOf(SecureCookieSessionInterface.class));
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

    static final String STRONG_KEY = "9f2c4e7a1b3d5f60718293a4b5c6d7e8";

    @Test
    void aShortSecretKeyStopsStartUpNamingThePropertyAndHowToMakeAKey() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SECRET_KEY=a");
        assertThat(analysis.getDescription()).contains("flaskctx.config.SECRET_KEY is 1 bytes long")
                .contains("sign a session cookie");
        assertThat(analysis.getAction()).contains("Set flaskctx.config.SECRET_KEY to a long random string")
                .contains("python -c 'import secrets; print(secrets.token_hex())'")
                .contains("flaskctx.session.allow-weak-key=true");
    }

    @Test
    void aWellKnownPlaceholderStopsStartUpWhateverItsLength() {
        for (String placeholder : new String[] {"change-me", "Secret", "dev", "super-secret-key",
                "the-same-long-random-key"}) {
            FailureAnalysis analysis = analysisOf("flaskctx.config.SECRET_KEY=" + placeholder);
            assertThat(analysis.getDescription()).as(placeholder)
                    .contains("flaskctx.config.SECRET_KEY is a well-known placeholder ('" + placeholder + "')");
        }
        assertThat(analysisOf("flaskctx.config.SECRET_KEY=" + "x".repeat(32)).getDescription())
                .contains("one character repeated");
    }

    @Test
    void aWeakFallbackStopsStartUpToo() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SECRET_KEY=" + STRONG_KEY,
                "flaskctx.config.SECRET_KEY_FALLBACKS[0]=" + STRONG_KEY + "-old", "flaskctx.config.SECRET_KEY_FALLBACKS[1]=c");
        assertThat(analysis.getDescription()).contains("flaskctx.config.SECRET_KEY_FALLBACKS[1] is 1 bytes long");
    }

    @Test
    void aWeakKeyOfAMountedAppStopsStartUpNamingItsProperty() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SECRET_KEY=" + STRONG_KEY,
                "flaskctx.apps.admin.mount=/admin", "flaskctx.apps.admin.config.SECRET_KEY=change-me");
        assertThat(analysis.getDescription()).contains("flaskctx.apps.admin.config.SECRET_KEY is a well-known placeholder");
    }

    @Test
    void allowWeakKeyAcceptsAWeakKeyForDemosAndTests() {
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=change-me", "flaskctx.session.allow-weak-key=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SecureCookieSessionInterface.class));
    }

    @Test
    void strongKeysAndTheServletStoreStartWithoutAWord() {
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=" + STRONG_KEY).run(context -> assertThat(context)
                .hasNotFailed());
        runner.withPropertyValues("flaskctx.session.store=servlet", "flaskctx.config.SECRET_KEY=dev")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** A string of fallbacks is one key (Flask iterates it: every character would verify, hardening.json). */
    @Test
    void aStringOfFallbacksIsOneKey() {
        String previous = "previous-key-0123456789abcdef";
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=" + STRONG_KEY,
                "flaskctx.config.SECRET_KEY_FALLBACKS=" + previous + ",c").run(context -> {
                    assertThat(context).hasNotFailed();
                    FlaskApp app = context.getBean(FlaskApp.class);
                    SecureCookieSessionInterface store = (SecureCookieSessionInterface) app.sessionInterface();
                    assertThat(store.open(app, withCookie(signedWith("c")))).isEmpty();
                    assertThat(store.open(app, withCookie(signedWith(previous)))).isEmpty();
                    assertThat(store.open(app, withCookie(signedWith(previous + ",c")))).containsEntry("user", "admin");
                });
    }

    private static String signedWith(String key) {
        FlaskApp signer = new FlaskApp("signer");
        signer.config().put("SECRET_KEY", key);
        return new SecureCookieSessionInterface().signingSerializer(signer).dumps(Map.of("user", "admin"));
    }

    private static MockHttpServletRequest withCookie(String value) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new Cookie("session", value));
        return request;
    }

    @Test
    void sameSiteNoneWithoutSecureStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.SECRET_KEY=" + STRONG_KEY,
                "flaskctx.config.SESSION_COOKIE_SAMESITE=None");
        assertThat(analysis.getDescription()).contains("flaskctx.config.SESSION_COOKIE_SAMESITE is None but"
                + " flaskctx.config.SESSION_COOKIE_SECURE is not true");
        assertThat(analysis.getAction()).contains("Set flaskctx.config.SESSION_COOKIE_SECURE to true");
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=" + STRONG_KEY, "flaskctx.config.SESSION_COOKIE_SAMESITE=None",
                "flaskctx.config.SESSION_COOKIE_SECURE=true").run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=" + STRONG_KEY, "flaskctx.config.SESSION_COOKIE_SAMESITE=none",
                "flaskctx.config.SESSION_COOKIE_PARTITIONED=true").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMaxCookieSizeBeyondWhatBrowsersKeepStopsStartUp() {
        FailureAnalysis analysis = analysisOf("flaskctx.config.MAX_COOKIE_SIZE=8000");
        assertThat(analysis.getDescription()).contains("flaskctx.config.MAX_COOKIE_SIZE is 8000");
        assertThat(analysis.getAction()).contains("at most 4093");
    }

    @Test
    void oversizeFailMakesTheSaveOfACookieBrowsersWouldDropFail() {
        runner.withPropertyValues("flaskctx.config.SECRET_KEY=" + STRONG_KEY, "flaskctx.session.oversize=fail")
                .run(context -> {
                    FlaskApp app = context.getBean(FlaskApp.class);
                    try (RequestContext ctx = app.requestContext(new MockHttpServletRequest()).push()) {
                        Flask.session().put("blob", java.util.stream.IntStream.range(0, 300)
                                .mapToObj(i -> java.util.UUID.randomUUID().toString())
                                .collect(java.util.stream.Collectors.joining()));
                        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.saveSession(
                                new MockHttpServletResponse())).isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("MAX_COOKIE_SIZE");
                    }
                });
    }
}
