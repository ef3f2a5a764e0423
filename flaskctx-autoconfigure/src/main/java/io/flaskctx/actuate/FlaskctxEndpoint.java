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
import java.util.regex.Pattern;
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
 * other values only when show-values allows; and secrets ({@code SECRET_KEY}, {@code SECRET_KEY_FALLBACKS}, and
 * any key that looks like a password, secret, key, token or credential) never in clear. Your
 * {@link SanitizingFunction} beans apply too.
 */
@Endpoint(id = "flaskctx")
public class FlaskctxEndpoint {

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|secret|key|token|credential|vcap_services|private).*|sun\\.java\\.command");

    private static final Set<String> SAFE = Set.of("DEBUG", "TESTING", "PROPAGATE_EXCEPTIONS",
            "PERMANENT_SESSION_LIFETIME", "USE_X_SENDFILE", "TRUSTED_HOSTS", "SERVER_NAME", "APPLICATION_ROOT",
            "SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_PARTITIONED", "SESSION_COOKIE_SAMESITE",
            "SESSION_REFRESH_EACH_REQUEST", "MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE", "MAX_FORM_PARTS",
            "SEND_FILE_MAX_AGE_DEFAULT", "TRAP_BAD_REQUEST_ERRORS", "TRAP_HTTP_EXCEPTIONS",
            "EXPLAIN_TEMPLATE_LOADING", "PREFERRED_URL_SCHEME", "TEMPLATES_AUTO_RELOAD", "MAX_COOKIE_SIZE",
            "PROVIDE_AUTOMATIC_OPTIONS");

    private final Supplier<List<FlaskApp>> apps;
    private final Function<FlaskApp, String> mounts;
    private final Sanitizer sanitizer;
    private final Show showValues;
    private final Set<String> roles;
    private final Supplier<List<Map<String, Object>>> wrappedMethods;

    /**
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
     * @param apps the apps to describe
     * @param mounts the mount of each app, null for the main one
     * @param sanitizingFunctions the application's sanitizing functions
     * @param showValues when values that are neither known safe nor secret are shown
     * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}
     */
    public FlaskctxEndpoint(Supplier<List<FlaskApp>> apps, Function<FlaskApp, String> mounts,
            Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles) {
        this(apps, mounts, sanitizingFunctions, showValues, roles, List::of);
    }

    /**
     * @param apps the apps to describe
     * @param mounts the mount of each app, null for the main one
     * @param sanitizingFunctions the application's sanitizing functions
     * @param showValues when values that are neither known safe nor secret are shown
     * @param roles the roles that may see them with {@link Show#WHEN_AUTHORIZED}
     * @param wrappedMethods the methods that run inside app contexts beyond requests ({@code @WithAppContext},
     *     {@code @Scheduled}, runners), each a map of {@code method}, {@code origin}, {@code app}, {@code wrapped}
     *     (and the {@code reason} when it could not be)
     */
    public FlaskctxEndpoint(Supplier<List<FlaskApp>> apps, Function<FlaskApp, String> mounts,
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
        Map<String, Object> contexts = new LinkedHashMap<>();
        for (ContextType type : ContextType.values()) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("active", ContextStats.active(type));
            counts.put("pushed", ContextStats.pushed(type));
            counts.put("maxDepth", ContextStats.maxDepth(type));
            counts.put("leaked", ContextStats.leaked(type));
            if (type == ContextType.APP) {
                Map<String, Object> byOrigin = new LinkedHashMap<>();
                for (ContextOrigin origin : ContextOrigin.values()) {
                    byOrigin.put(origin.tag(), ContextStats.pushed(origin));
                }
                counts.put("pushedByOrigin", byOrigin);
            }
            contexts.put(type.tag(), counts);
        }
        result.put("contexts", contexts);
        result.put("wrappedMethods", wrappedMethods.get());
        result.put("teardownErrors", ContextStats.teardownErrors());
        result.put("copiesPending", ContextStats.copiesPending());
        return result;
    }

    private Map<String, Object> config(FlaskApp app, boolean showUnsafe) {
        Map<String, Object> config = new LinkedHashMap<>();
        app.config().forEach((key, value) -> config.put(key, sanitize(key, value, showUnsafe)));
        return config;
    }

    private Object sanitize(String key, Object value, boolean showUnsafe) {
        if (value != null && SECRET.matcher(key).matches()) {
            return SanitizableData.SANITIZED_VALUE;
        }
        Object shown = value instanceof Collection<?> || value instanceof Map<?, ?> || value == null
                || value instanceof Number || value instanceof Boolean ? value : String.valueOf(value);
        return sanitizer.sanitize(new SanitizableData(null, key, shown), showUnsafe || SAFE.contains(key));
    }
}
