package io.flaskctx.autoconfigure;

import io.flaskctx.Config;
import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import io.flaskctx.actuate.SessionMetrics;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.flaskctx.session.ServletSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flask's sessions: the {@link SessionInterface} chosen by {@code flaskctx.session.store} (checked, with the
 * session keys of {@code flaskctx.config}, at start-up) installed on the app, the injectable {@link Session}
 * proxy, and the {@code flaskctx.session.rejected} meter where Micrometer is present. A {@code Clock} bean,
 * if the application has exactly one, dates the cookies.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@ConditionalOnBean(FlaskApp.class)
@EnableConfigurationProperties(FlaskSessionProperties.class)
public class FlaskSessionAutoConfiguration {

    private static final Set<String> SAME_SITE = Set.of("strict", "lax", "none");

    @Bean
    @ConditionalOnMissingBean
    SessionInterface flaskSessionInterface(FlaskApp app, FlaskSessionProperties properties,
            ObjectProvider<Clock> clock) {
        String store = properties.getStore() == null ? "" : properties.getStore().trim().toLowerCase(Locale.ROOT);
        Config config = app.config();
        checkDuration(config, "PERMANENT_SESSION_LIFETIME");
        switch (store) {
            case "cookie":
                checkCookieConfig(config);
                return new SecureCookieSessionInterface(clock.getIfUnique(Clock::systemUTC));
            case "servlet":
                return new ServletSessionInterface();
            default:
                throw new InvalidFlaskctxConfigurationException("flaskctx.session.store is '" + properties.getStore()
                        + "', which is not a session store flaskctx knows.", "Set flaskctx.session.store to cookie"
                        + " (Flask's signed cookies; needs flaskctx.config.SECRET_KEY) or servlet (the HttpSession,"
                        + " with any Spring Session store), or remove it to use cookie.");
        }
    }

    @Bean
    SmartInitializingSingleton flaskSessionInterfaceInstaller(ObjectProvider<FlaskApp> apps,
            SessionInterface sessionInterface) {
        // every app, mounted ones included: each reads its own SESSION_COOKIE_* config through it
        return () -> apps.orderedStream().forEach(app -> app.setSessionInterface(sessionInterface));
    }

    @Bean
    @ConditionalOnMissingBean
    Session flaskSession() {
        return Session.proxy();
    }

    private static void checkCookieConfig(Config config) {
        checkKey(config, "SECRET_KEY");
        List<?> fallbacks = checked(config, "SECRET_KEY_FALLBACKS", List.class,
                "a list of the previous secret keys (YAML list, or comma-separated)");
        if (fallbacks != null) {
            for (Object fallback : fallbacks) {
                if (!(fallback instanceof CharSequence || fallback instanceof byte[])) {
                    throw new InvalidFlaskctxConfigurationException("flaskctx.config.SECRET_KEY_FALLBACKS holds a "
                            + (fallback == null ? "null" : fallback.getClass().getSimpleName()) + ", but secret keys"
                            + " are text.", "List the previous secret keys as strings under"
                            + " flaskctx.config.SECRET_KEY_FALLBACKS.");
                }
            }
        }
        String name = checked(config, "SESSION_COOKIE_NAME", String.class, "a cookie name such as session");
        if (name == null || name.isEmpty() || !name.chars().allMatch(FlaskSessionAutoConfiguration::isTokenChar)) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.config.SESSION_COOKIE_NAME is '" + name
                    + "', which is not a cookie name.", "Set flaskctx.config.SESSION_COOKIE_NAME to letters, digits"
                    + " and !#$%&'*+-.^_`|~ only (Flask's default is session), or remove it.");
        }
        String sameSite = checked(config, "SESSION_COOKIE_SAMESITE", String.class, "Strict, Lax or None");
        if (sameSite != null && !SAME_SITE.contains(sameSite.toLowerCase(Locale.ROOT))) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.config.SESSION_COOKIE_SAMESITE is '" + sameSite
                    + "', but SameSite must be 'Strict', 'Lax', or 'None'.", "Set"
                    + " flaskctx.config.SESSION_COOKIE_SAMESITE to Strict, Lax or None, or remove it to send no"
                    + " SameSite attribute (Flask's default).");
        }
        for (String flag : List.of("SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_PARTITIONED",
                "SESSION_REFRESH_EACH_REQUEST")) {
            checked(config, flag, Boolean.class, "true or false");
        }
        for (String text : List.of("SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "APPLICATION_ROOT")) {
            checked(config, text, String.class, "a string");
        }
        checked(config, "MAX_COOKIE_SIZE", Integer.class, "a number of bytes (Flask's default is 4093; 0 turns the"
                + " size warning off)");
    }

    private static void checkKey(Config config, String key) {
        Object value = config.get(key);
        if (value != null && !(value instanceof CharSequence || value instanceof byte[])) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.config." + key + " holds a "
                    + value.getClass().getSimpleName() + ", but a secret key is text.", "Set flaskctx.config." + key
                    + " to a long random string, e.g. the output of: python -c 'import secrets;"
                    + " print(secrets.token_hex())'.");
        }
    }

    private static void checkDuration(Config config, String key) {
        Duration lifetime = checked(config, key, Duration.class, "a duration such as 31d, 12h or 3600 (seconds)");
        if (lifetime != null && lifetime.isNegative()) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.config." + key + " is " + lifetime
                    + ", a negative duration: every session would have expired.", "Set flaskctx.config." + key
                    + " to a positive duration such as 31d (Flask's default), 12h or 3600 (seconds).");
        }
    }

    private static <T> T checked(Config config, String key, Class<T> type, String expected) {
        try {
            return config.get(key, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.config." + key + " cannot be used: "
                    + e.getMessage() + ".", "Set flaskctx.config." + key + " to " + expected + ", or remove it to"
                    + " use Flask's default.");
        }
    }

    /** RFC 6265 cookie names are RFC 7230 tokens. */
    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        SessionMetrics flaskSessionMetrics(SessionInterface sessionInterface) {
            return new SessionMetrics(sessionInterface);
        }
    }
}
