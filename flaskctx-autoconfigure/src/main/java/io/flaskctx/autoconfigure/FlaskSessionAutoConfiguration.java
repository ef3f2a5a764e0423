package io.flaskctx.autoconfigure;

import io.flaskctx.Config;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import io.flaskctx.actuate.SessionMetrics;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.flaskctx.session.ServletSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
 * session keys of every app's config, at start-up: a weak {@code SECRET_KEY} or fallback, or SameSite=None
 * without Secure, stops it) installed on the app, the injectable {@link Session}
 * proxy, and the {@code flaskctx.session.rejected} meter where Micrometer is present. A {@code Clock} bean,
 * if the application has exactly one, dates the cookies.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@ConditionalOnBean(FlaskApp.class)
@EnableConfigurationProperties(FlaskSessionProperties.class)
public class FlaskSessionAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(FlaskSessionAutoConfiguration.class);

    private static final Set<String> SAME_SITE = Set.of("strict", "lax", "none");

    /** Creates the auto-configuration; Spring Boot does this. */
    public FlaskSessionAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    SessionInterface flaskSessionInterface(FlaskApp app, ObjectProvider<FlaskApps> registry,
            FlaskSessionProperties properties, ObjectProvider<Clock> clock) {
        // An unknown flaskctx.session.store fails binding, and Boot's report lists the stores.
        FlaskSessionProperties.Store store = properties.getStore();
        Map<String, Config> configs = configs(app, registry.getIfAvailable());
        configs.forEach((prefix, config) -> checkDuration(config, prefix, "PERMANENT_SESSION_LIFETIME"));
        if (store == FlaskSessionProperties.Store.SERVLET) {
            return new ServletSessionInterface();
        }
        configs.forEach((prefix, config) -> {
            checkCookieConfig(config, prefix);
            checkKeyStrength(config, prefix, properties.isAllowWeakKey());
        });
        return new SecureCookieSessionInterface(clock.getIfUnique(Clock::systemUTC), properties.getOversize());
    }

    /** Every app's config by the prefix of its properties: the main app's first, then the mounted ones. */
    private static Map<String, Config> configs(FlaskApp main, @Nullable FlaskApps apps) {
        Map<String, Config> configs = new LinkedHashMap<>();
        configs.put("flaskctx.config.", main.config());
        if (apps != null) {
            for (FlaskApp mounted : apps.all()) {
                if (mounted != main) {
                    configs.put("flaskctx.apps." + mounted.name() + ".config.", mounted.config());
                }
            }
        }
        return configs;
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

    private static void checkCookieConfig(Config config, String prefix) {
        checkKey(config, prefix, "SECRET_KEY");
        for (Object fallback : fallbacks(config, prefix)) {
            if (!(fallback instanceof CharSequence || fallback instanceof byte[])) {
                throw new InvalidFlaskctxConfigurationException(prefix + "SECRET_KEY_FALLBACKS holds a "
                        + (fallback == null ? "null" : fallback.getClass().getSimpleName()) + ", but secret keys"
                        + " are text.", "List the previous secret keys as strings under " + prefix
                        + "SECRET_KEY_FALLBACKS.");
            }
        }
        String name = checked(config, prefix, "SESSION_COOKIE_NAME", String.class, "a cookie name such as session");
        if (name == null || name.isEmpty() || !name.chars().allMatch(FlaskSessionAutoConfiguration::isTokenChar)) {
            throw new InvalidFlaskctxConfigurationException(prefix + "SESSION_COOKIE_NAME is '" + name
                    + "', which is not a cookie name.", "Set " + prefix + "SESSION_COOKIE_NAME to letters, digits"
                    + " and !#$%&'*+-.^_`|~ only (Flask's default is session), or remove it.");
        }
        String sameSite = checked(config, prefix, "SESSION_COOKIE_SAMESITE", String.class, "Strict, Lax or None");
        if (sameSite != null && !SAME_SITE.contains(sameSite.toLowerCase(Locale.ROOT))) {
            throw new InvalidFlaskctxConfigurationException(prefix + "SESSION_COOKIE_SAMESITE is '" + sameSite
                    + "', but SameSite must be 'Strict', 'Lax', or 'None'.", "Set " + prefix
                    + "SESSION_COOKIE_SAMESITE to Strict, Lax or None, or remove it to send no SameSite attribute"
                    + " (Flask's default).");
        }
        for (String flag : List.of("SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_PARTITIONED",
                "SESSION_REFRESH_EACH_REQUEST")) {
            checked(config, prefix, flag, Boolean.class, "true or false");
        }
        // Browsers reject SameSite=None without Secure: the user would never get a session, and nobody is told.
        // Partitioned forces Secure, as in Flask.
        if ("none".equalsIgnoreCase(sameSite) && !Boolean.TRUE.equals(config.get("SESSION_COOKIE_SECURE", Boolean.class))
                && !Boolean.TRUE.equals(config.get("SESSION_COOKIE_PARTITIONED", Boolean.class))) {
            throw new InvalidFlaskctxConfigurationException(prefix + "SESSION_COOKIE_SAMESITE is None but "
                    + prefix + "SESSION_COOKIE_SECURE is not true: browsers reject a SameSite=None cookie that is not"
                    + " Secure, so no visitor would keep a session.", "Set " + prefix + "SESSION_COOKIE_SECURE to"
                    + " true (and serve the app over HTTPS), or set " + prefix + "SESSION_COOKIE_SAMESITE to Lax.");
        }
        for (String text : List.of("SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "APPLICATION_ROOT")) {
            checked(config, prefix, text, String.class, "a string");
        }
        Integer maxSize = checked(config, prefix, "MAX_COOKIE_SIZE", Integer.class, "a number of bytes up to "
                + SecureCookieSessionInterface.BROWSER_COOKIE_LIMIT + " (Flask's default)");
        if (maxSize != null && (maxSize < 0 || maxSize > SecureCookieSessionInterface.BROWSER_COOKIE_LIMIT)) {
            throw new InvalidFlaskctxConfigurationException(prefix + "MAX_COOKIE_SIZE is " + maxSize + ", but the"
                    + " session cookie is never sent beyond " + SecureCookieSessionInterface.BROWSER_COOKIE_LIMIT
                    + " bytes: browsers drop larger cookies without a word.", "Set " + prefix + "MAX_COOKIE_SIZE to"
                    + " at most " + SecureCookieSessionInterface.BROWSER_COOKIE_LIMIT + ", or remove it; keep large"
                    + " data server-side (flaskctx.session.store=servlet).");
        }
    }

    /** A string is one key (Flask would iterate it, making each character a key); a list is several. */
    private static List<?> fallbacks(Config config, String prefix) {
        Object value = config.get("SECRET_KEY_FALLBACKS");
        if (value == null || value instanceof CharSequence text && text.length() == 0) {
            return List.of();
        }
        if (value instanceof CharSequence || value instanceof byte[]) {
            return List.of(value);
        }
        // not null: the value was checked above
        return Objects.requireNonNull(checked(config, prefix, "SECRET_KEY_FALLBACKS", List.class, "a list of the"
                + " previous secret keys (a YAML list, or [0], [1], ... properties); a single string is one key"));
    }

    /** Anyone who guesses a key that verifies signs a cookie that logs in as any user. */
    private static void checkKeyStrength(Config config, String prefix, boolean allowWeak) {
        List<String> names = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        Object secretKey = config.get("SECRET_KEY");
        if (secretKey != null && !(secretKey instanceof CharSequence text && text.length() == 0)) {
            names.add(prefix + "SECRET_KEY");
            keys.add(secretKey);
        }
        List<?> fallbacks = fallbacks(config, prefix);
        for (int i = 0; i < fallbacks.size(); i++) {
            names.add(prefix + "SECRET_KEY_FALLBACKS[" + i + "]");
            keys.add(fallbacks.get(i));
        }
        for (int i = 0; i < keys.size(); i++) {
            String weakness = SecretKeyStrength.weakness(keys.get(i));
            if (weakness == null) {
                continue;
            }
            String problem = names.get(i) + " is " + weakness + ": anyone who guesses it can sign a session cookie"
                    + " that logs in as any user.";
            if (allowWeak) {
                LOG.warn(problem + " Accepted because flaskctx.session.allow-weak-key=true; never in production.");
                continue;
            }
            throw new InvalidFlaskctxConfigurationException(problem, "Set " + names.get(i) + " to a long random"
                    + " string, e.g. the output of python -c 'import secrets; print(secrets.token_hex())', kept out"
                    + " of source control (SECRET_KEY: ${SESSION_SECRET_KEY}); or, for a demo or a test only, set"
                    + " flaskctx.session.allow-weak-key=true.");
        }
    }

    private static void checkKey(Config config, String prefix, String key) {
        Object value = config.get(key);
        if (value != null && !(value instanceof CharSequence || value instanceof byte[])) {
            throw new InvalidFlaskctxConfigurationException(prefix + key + " holds a "
                    + value.getClass().getSimpleName() + ", but a secret key is text.", "Set " + prefix + key
                    + " to a long random string, e.g. the output of: python -c 'import secrets;"
                    + " print(secrets.token_hex())'.");
        }
    }

    private static void checkDuration(Config config, String prefix, String key) {
        Duration lifetime = checked(config, prefix, key, Duration.class, "a duration such as 31d, 12h or 3600"
                + " (seconds)");
        if (lifetime != null && lifetime.isNegative()) {
            throw new InvalidFlaskctxConfigurationException(prefix + key + " is " + lifetime
                    + ", a negative duration: every session would have expired.", "Set " + prefix + key
                    + " to a positive duration such as 31d (Flask's default), 12h or 3600 (seconds).");
        }
    }

    private static <T> @Nullable T checked(Config config, String prefix, String key, Class<T> type, String expected) {
        try {
            return config.get(key, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidFlaskctxConfigurationException(prefix + key + " cannot be used: "
                    + e.getMessage() + ".", "Set " + prefix + key + " to " + expected + ", or remove it to"
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
