package io.flaskctx.actuate;

import io.flaskctx.ContextOrigin;
import io.flaskctx.ContextStats;
import io.flaskctx.ContextType;
import io.flaskctx.FlaskApp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The read-only {@code flaskctx} actuator endpoint (Flask has no counterpart): each app with its config and
 * its hooks in execution order, the live context counts and the leak counts.
 *
 * <p>Config values follow Boot's {@code show-values} convention ({@code management.endpoint.flaskctx.show-values},
 * default {@code never}): Flask's own non-secret keys (DEBUG, SESSION_COOKIE_NAME, ...) are always shown;
 * other values only when show-values allows; and secrets never in clear, at any depth: {@code SECRET_KEY},
 * {@code SECRET_KEY_FALLBACKS}, any key or nested key ({@code MAIL: {PASSWORD: ...}}, {@code DATABASES[0].PASSWORD})
 * that names a password, secret, key, token, credential, auth, salt or DSN, and the user-info of URIs
 * ({@code postgres://u:******@db/app}). Your {@link SanitizingFunction} beans apply too.
 * {@link #configSanitizingFunction()} carries the same rules to Boot's {@code env} and {@code configprops}.
 */
@Endpoint(id = "flaskctx")
public class FlaskctxEndpoint {

    // A property of an app's config, as Boot's env and configprops endpoints name it (flaskctx.config.SECRET_KEY,
    // flaskctx.apps.admin.config.X) or as an environment variable sets it (FLASKCTX_CONFIG_SECRET_KEY).
    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "(?i)flaskctx[._](?:apps[._][^._]+[._])?config[._\\[](.*)");

    private static final Set<String> SAFE = Set.of("DEBUG", "TESTING", "PROPAGATE_EXCEPTIONS",
            "PERMANENT_SESSION_LIFETIME", "USE_X_SENDFILE", "TRUSTED_HOSTS", "SERVER_NAME", "APPLICATION_ROOT",
            "SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_PARTITIONED", "SESSION_COOKIE_SAMESITE",
            "SESSION_REFRESH_EACH_REQUEST", "MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS",
            "SEND_FILE_MAX_AGE_DEFAULT", "TRAP_BAD_REQUEST_ERRORS", "TRAP_HTTP_EXCEPTIONS",
            "EXPLAIN_TEMPLATE_LOADING", "PREFERRED_URL_SCHEME", "TEMPLATES_AUTO_RELOAD", "MAX_COOKIE_SIZE",
            "PROVIDE_AUTOMATIC_OPTIONS");

    private final Supplier<List<FlaskApp>> apps;
    private final Function<FlaskApp, @Nullable String> mounts;
    private final Sanitizer sanitizer;
    private final Show showValues;
    private final Set<String> roles;
    private final Supplier<List<Map<String, Object>>> wrappedMethods;

    /**
     * Creates the endpoint.
     *
     * @param apps the apps to describe
     * @param sanitizingFunctions the application's sanitizing functions
     * @param showValues when values that are neither known safe nor secret are shown
     * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}
     */
    public FlaskctxEndpoint(Supplier<List<FlaskApp>> apps, Iterable<SanitizingFunction> sanitizingFunctions,
            Show showValues, Set<String> roles) {
        this(apps, app -> null, sanitizingFunctions, showValues, roles);
    }

    /**
     * Creates the endpoint.
     *
     * @param apps the apps to describe
     * @param mounts the mount of each app, null for the main one
     * @param sanitizingFunctions the application's sanitizing functions
     * @param showValues when values that are neither known safe nor secret are shown
     * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}
     */
    public FlaskctxEndpoint(Supplier<List<FlaskApp>> apps, Function<FlaskApp, @Nullable String> mounts,
            Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles) {
        this(apps, mounts, sanitizingFunctions, showValues, roles, List::of);
    }

    /**
     * Creates the endpoint.
     *
     * @param apps the apps to describe
     * @param mounts the mount of each app, null for the main one
     * @param sanitizingFunctions the application's sanitizing functions
     * @param showValues when values that are neither known safe nor secret are shown
     * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}
     * @param wrappedMethods the methods that run inside app contexts beyond requests ({@code @WithAppContext},
     *     {@code @Scheduled}, runners), each a map of {@code method}, {@code origin}, {@code app}, {@code wrapped}
     *     (and the {@code reason} when it could not be)
     */
    public FlaskctxEndpoint(Supplier<List<FlaskApp>> apps, Function<FlaskApp, @Nullable String> mounts,
            Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles,
            Supplier<List<Map<String, Object>>> wrappedMethods) {
        this.apps = apps;
        this.mounts = mounts;
        this.sanitizer = new Sanitizer(sanitizingFunctions);
        this.showValues = showValues;
        this.roles = roles;
        this.wrappedMethods = wrappedMethods;
        for (FlaskApp app : apps.get()) {
            app.setCountingContexts(true);
        }
    }

    /**
     * The endpoint's one read operation ({@code GET /actuator/flaskctx}).
     *
     * @param securityContext who asks; decides whether config values that are not known to be safe are shown
     * @return the apps (name, mount, config with secrets masked, hooks) and the context counters
     */
    @ReadOperation
    public Map<String, Object> flaskctx(SecurityContext securityContext) {
        boolean showUnsafe = showValues.isShown(securityContext, roles);
        List<Map<String, Object>> described = new ArrayList<>();
        for (FlaskApp app : apps.get()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", app.name());
            one.put("mount", mounts.apply(app));
            one.put("config", config(app, showUnsafe));
            one.put("hooks", app.describeHooks());
            described.add(one);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("apps", described);
        // This application's apps only, not every app alive in the JVM: after a DevTools restart (or beside another
        // test context) the previous application's apps linger until collected, and their figures are not ours.
        List<FlaskApp> ours = apps.get();
        Map<String, Object> contexts = new LinkedHashMap<>();
        for (ContextType type : ContextType.values()) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("active", sum(ours, app -> ContextStats.active(app, type)));
            counts.put("pushed", sum(ours, app -> ContextStats.pushed(app, type)));
            counts.put("maxDepth", ours.stream().mapToLong(app -> ContextStats.maxDepth(app, type)).max().orElse(0));
            counts.put("leaked", sum(ours, app -> ContextStats.leaked(app, type)));
            if (type == ContextType.APP) {
                Map<String, Object> byOrigin = new LinkedHashMap<>();
                for (ContextOrigin origin : ContextOrigin.values()) {
                    byOrigin.put(origin.tag(), sum(ours, app -> ContextStats.pushed(app, origin)));
                }
                counts.put("pushedByOrigin", byOrigin);
            }
            contexts.put(type.tag(), counts);
        }
        result.put("contexts", contexts);
        result.put("wrappedMethods", wrappedMethods.get());
        result.put("teardownErrors", sum(ours, ContextStats::teardownErrors));
        result.put("copiesPending", ContextStats.copiesPending());
        return result;
    }

    private static long sum(List<FlaskApp> apps, ToLongFunction<FlaskApp> figure) {
        return apps.stream().mapToLong(figure).sum();
    }

    private Map<String, Object> config(FlaskApp app, boolean showUnsafe) {
        Map<String, Object> config = new LinkedHashMap<>();
        app.config().forEach((key, value) -> config.put(key, value(key, value, showUnsafe || SAFE.contains(key))));
        return config;
    }

    /**
     * A value of the config, masked at every depth: a secret key hides everything under it; maps and lists are
     * walked, their entries named by path ({@code MAIL.PASSWORD}, {@code DATABASES[0].PASSWORD}); URIs lose their
     * user-info; other leaves follow show-values and the application's sanitizing functions.
     */
    private @Nullable Object value(String path, @Nullable Object value, boolean showUnsafe) {
        if (value != null && Secrets.isSecretKey(path)) {
            return SanitizableData.SANITIZED_VALUE;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> shown = new LinkedHashMap<>();
            map.forEach((key, item) -> shown.put(String.valueOf(key), value(path + "." + key, item, showUnsafe)));
            return shown;
        }
        if (value instanceof Collection<?> items) {
            List<Object> shown = new ArrayList<>();
            int i = 0;
            for (Object item : items) {
                shown.add(value(path + "[" + i++ + "]", item, showUnsafe));
            }
            return shown;
        }
        return sanitize(path, value, showUnsafe);
    }

    private @Nullable Object sanitize(String key, @Nullable Object value, boolean show) {
        Object shown = value == null || value instanceof Number || value instanceof Boolean ? value
                : Secrets.maskUriUserInfo(String.valueOf(value));
        return sanitizer.sanitize(new SanitizableData(null, key, shown), show);
    }

    /**
     * A {@link SanitizingFunction} for Boot's own {@code env} and {@code configprops} endpoints: they list
     * {@code flaskctx.config.*} and {@code flaskctx.apps.*.config.*} as properties, and, once their show-values
     * allows, would show {@code SECRET_KEY} and its siblings in clear. This masks those whose name (at any depth)
     * names a secret, and the user-info of URIs in the others, by the same rules as this endpoint. The
     * auto-configuration registers it as a bean.
     *
     * @return the function
     */
    public static SanitizingFunction configSanitizingFunction() {
        return data -> {
            Matcher property = data.getKey() == null ? null : CONFIG_PROPERTY.matcher(data.getKey());
            if (property == null || !property.matches()) {
                return data;
            }
            if (Secrets.isSecretKey(property.group(1))) {
                return data.withSanitizedValue();
            }
            Object value = data.getValue();
            return value instanceof CharSequence text && Secrets.hasUriUserInfo(text.toString())
                    ? data.withValue(Secrets.maskUriUserInfo(text.toString())) : data;
        };
    }
}
