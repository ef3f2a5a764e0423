package io.flaskctx.session;

import io.flaskctx.Config;
import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import io.flaskctx.session.BadDataException.Reason;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code SecureCookieSessionInterface}, the default store: the whole session lives in a cookie,
 * signed with the app's {@code SECRET_KEY} and written byte for byte as Flask 3.1 writes it, so a Flask app
 * and a flaskctx app with the same key (and cookie settings) share their visitors' sessions.
 *
 * <p>It follows Flask's rules from the app's config, read on every request: {@code SESSION_COOKIE_NAME},
 * {@code _DOMAIN}, {@code _PATH} (else {@code APPLICATION_ROOT}), {@code _HTTPONLY}, {@code _SECURE},
 * {@code _SAMESITE}, {@code _PARTITIONED}, {@code PERMANENT_SESSION_LIFETIME} (the age limit of every cookie,
 * and the Expires of a permanent one), {@code SESSION_REFRESH_EACH_REQUEST}, {@code SECRET_KEY_FALLBACKS}
 * (verify with each, sign only with {@code SECRET_KEY}; a string is one key, a list several) and
 * {@code MAX_COOKIE_SIZE} (see below). The cookie
 * is sent when the session was modified, or on every request for a permanent session while refreshing is
 * on; a session emptied during the request gets the deletion cookie; {@code Vary: Cookie} whenever the
 * request used the session. Without a {@code SECRET_KEY} every request gets a null session.
 *
 * <p>Unlike Flask, a cookie that cannot be read never fails the request: tampered, truncated, expired,
 * future-dated, oversized, signed with another key, or validly signed over a payload that is not a JSON
 * object, it gives an empty session, and is counted by {@link BadDataException.Reason reason} (see
 * {@link #rejected}). And a cookie browsers would drop (its {@code Set-Cookie} header longer than
 * {@code MAX_COOKIE_SIZE}, at most {@value #BROWSER_COOKIE_LIMIT} bytes) is never sent: Flask sends it with a
 * warning, and the browser silently keeps its previous cookie, or Tomcat answers 500 beyond its header limit.
 * Here, by {@link Oversize}, the browser keeps its previous cookie and the request goes on, logged once per set
 * of session keys and counted ({@link #tooLarge()}), or the request fails.
 *
 * <p>Concurrent requests of one visitor each write the whole cookie: the last response wins, as in Flask.
 */
public final class SecureCookieSessionInterface implements SessionInterface {

    private static final Log logger = LogFactory.getLog(SecureCookieSessionInterface.class);

    /** Werkzeug's {@code max_cookie_size} default, and the most flaskctx sends: browsers keep about 4096 bytes. */
    public static final int BROWSER_COOKIE_LIMIT = 4093;

    // Sets of session keys whose oversized cookie was logged; bounded, so that hostile keys cannot grow it.
    private static final int MAX_LOGGED_KEY_SETS = 1024;

    /** What to do with a session whose cookie browsers would drop; see {@link SecureCookieSessionInterface}. */
    public enum Oversize {
        /**
         * Send no cookie: the browser keeps its previous one, so this request's session changes are lost; the
         * request itself goes on. Logged once per set of session keys and counted.
         */
        KEEP,
        /** Fail the request (a 500, before the response is committed), counted too. */
        FAIL
    }

    private final Clock clock;
    private final Oversize oversize;
    private final LongAdder[] rejected = new LongAdder[Reason.values().length];
    private final LongAdder tooLarge = new LongAdder();
    private final Set<String> loggedKeySets = ConcurrentHashMap.newKeySet();
    // The serializer of the last keys seen: deriving keys costs more than the rest of reading a cookie.
    private volatile @Nullable Keyed cached;

    private record Keyed(Object secretKey, @Nullable Object fallbacks, UrlSafeTimedSerializer serializer) {
        boolean isFor(Object secretKey, @Nullable Object fallbacks) {
            return sameKey(this.secretKey, secretKey) && Objects.equals(this.fallbacks, fallbacks);
        }

        private static boolean sameKey(Object a, Object b) {
            return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : Objects.equals(a, b);
        }
    }

    /** A store whose timestamps come from the system clock. */
    public SecureCookieSessionInterface() {
        this(Clock.systemUTC());
    }

    /**
     * Creates the signed-cookie session store.
     *
     * @param clock the source of the signing timestamp, the age check and Expires (fix it in tests to get
     *     the cookies Flask writes at the same moment)
     */
    public SecureCookieSessionInterface(Clock clock) {
        this(clock, Oversize.KEEP);
    }

    /**
     * Creates the signed-cookie session store.
     *
     * @param clock the source of the signing timestamp, the age check and Expires
     * @param oversize what to do with a session whose cookie browsers would drop
     */
    public SecureCookieSessionInterface(Clock clock, Oversize oversize) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.oversize = Objects.requireNonNull(oversize, "oversize");
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /**
     * Flask's {@code get_signing_serializer}: the serializer for the app's current {@code SECRET_KEY} and
     * {@code SECRET_KEY_FALLBACKS}.
     *
     * @param app the app
     * @return the serializer, or null when the app has no {@code SECRET_KEY}
     * @throws IllegalArgumentException when a key is neither text nor bytes
     */
    public @Nullable UrlSafeTimedSerializer signingSerializer(FlaskApp app) {
        Config config = app.config();
        Object secretKey = config.get("SECRET_KEY");
        if (secretKey == null || !isSet(secretKey)) {
            return null;
        }
        Object fallbacks = config.get("SECRET_KEY_FALLBACKS");
        Keyed keyed = cached;
        if (keyed != null && keyed.isFor(secretKey, fallbacks)) {
            return keyed.serializer();
        }
        List<byte[]> keys = new ArrayList<>();
        if (fallbacks instanceof CharSequence || fallbacks instanceof byte[]) {
            // One key. Flask iterates a string here, making every character a key: 'c' would verify.
            if (isSet(fallbacks)) {
                keys.add(keyBytes("SECRET_KEY_FALLBACKS", fallbacks));
            }
        } else if (isSet(fallbacks)) {
            for (Object fallback : Objects.requireNonNull(config.get("SECRET_KEY_FALLBACKS", List.class))) {
                keys.add(keyBytes("SECRET_KEY_FALLBACKS", fallback));
            }
        }
        // itsdangerous signs with the last key: the current one goes last
        keys.add(keyBytes("SECRET_KEY", secretKey));
        UrlSafeTimedSerializer serializer = new UrlSafeTimedSerializer(keys, clock);
        cached = new Keyed(secretKey, fallbacks, serializer);
        return serializer;
    }

    /** Python's truth test, as Flask applies it to {@code SECRET_KEY} and its fallbacks. */
    private static boolean isSet(@Nullable Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof CharSequence text) {
            return text.length() > 0;
        }
        if (value instanceof byte[] bytes) {
            return bytes.length > 0;
        }
        if (value instanceof Collection<?> items) {
            return !items.isEmpty();
        }
        return !(value instanceof Map<?, ?> map) || !map.isEmpty();
    }

    private static byte[] keyBytes(String configKey, Object key) {
        if (key instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (key instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("Config key '" + configKey + "' holds a "
                + (key == null ? "null" : key.getClass().getSimpleName()) + ", but secret keys are text or bytes");
    }

    /**
     * Reads the session from the request's cookie. A missing or empty cookie gives an empty session; one
     * that cannot be read gives an empty session too, and is counted.
     *
     * @return the session, or null when the app has no {@code SECRET_KEY}
     */
    @Override
    public @Nullable Session open(FlaskApp app, HttpServletRequest request) {
        UrlSafeTimedSerializer serializer = signingSerializer(app);
        if (serializer == null) {
            return null;
        }
        String value = cookieValue(request, app);
        if (value == null || value.isEmpty()) {
            return new SecureCookieSession();
        }
        try {
            return new SecureCookieSession(sessionData(serializer.loads(value, lifetime(app.config()))));
        } catch (BadDataException e) {
            rejected[e.reason().ordinal()].increment();
            if (logger.isDebugEnabled()) {
                logger.debug("Ignored the session cookie of " + request.getRequestURI() + " (" + e.reason().tag()
                        + "): " + e.getMessage());
            }
            return new SecureCookieSession();
        }
    }

    /**
     * Only a request that sends a session cookie: without one, the session is empty and unused, so Flask's save
     * sets no cookie and no {@code Vary}. With one, a permanent session's cookie may be refreshed
     * ({@code SESSION_REFRESH_EACH_REQUEST}).
     */
    @Override
    public boolean savesUnusedSession(FlaskApp app, HttpServletRequest request) {
        String value = cookieValue(request, app);
        return value != null && !value.isEmpty();
    }

    /** The value of the request's session cookie, or null; a request without cookies costs no look-up of the name. */
    private static @Nullable String cookieValue(HttpServletRequest request, FlaskApp app) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        String name = app.config().get("SESSION_COOKIE_NAME", String.class);
        if (name == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /**
     * What Flask's {@code SecureCookieSession(data)} accepts: a JSON object, or null (an empty session).
     * Python's {@code dict()} also takes a list of key-value pairs; Flask never writes one, but it reads
     * one, and so does this. Anything else Flask fails on (a 500); here it is a refused payload.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> sessionData(@Nullable Object data) throws BadDataException {
        if (data instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        if (data == null || data instanceof CharSequence text && text.length() == 0
                || data instanceof byte[] bytes && bytes.length == 0) {
            return Map.of();
        }
        if (data instanceof List<?> pairs) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Object pair : pairs) {
                if (pair instanceof List<?> items && items.size() == 2 && items.get(0) instanceof String key) {
                    map.put(key, items.get(1));
                } else if (pair instanceof String text && text.length() == 2) {
                    map.put(text.substring(0, 1), text.substring(1));
                } else {
                    throw new BadDataException(Reason.PAYLOAD, "The payload is a list, but not of key-value pairs");
                }
            }
            return map;
        }
        throw new BadDataException(Reason.PAYLOAD, "The payload is a " + data.getClass().getSimpleName()
                + ", not a JSON object");
    }

    /**
     * Writes the session cookie when Flask would: the deletion cookie for a session emptied during the
     * request, the cookie for a modified session or (with {@code SESSION_REFRESH_EACH_REQUEST}) a permanent
     * one; {@code Vary: Cookie} whenever the session was used or a cookie is sent.
     *
     * @throws IllegalArgumentException when the session holds a value the cookie cannot, or the cookie
     *     config is invalid
     */
    @Override
    public void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response) {
        Config config = app.config();
        if (session.isAccessed()) {
            Vary.addCookie(response);
        }
        // Most requests send no cookie: decide that before copying the session or reading the cookie's settings
        // (every request saves).
        boolean permanent = session.isPermanent();
        if (!session.isModified()
                && (session.isEmpty() || !(permanent && flag(config, "SESSION_REFRESH_EACH_REQUEST")))) {
            return;
        }
        Map<String, Object> data = session instanceof SecureCookieSession cookie ? cookie.snapshot()
                : new LinkedHashMap<>(session);
        String name = cookieName(config);
        String domain = config.get("SESSION_COOKIE_DOMAIN", String.class);
        String path = path(config);
        boolean secure = flag(config, "SESSION_COOKIE_SECURE");
        boolean partitioned = flag(config, "SESSION_COOKIE_PARTITIONED");
        String sameSite = config.get("SESSION_COOKIE_SAMESITE", String.class);
        boolean httpOnly = flag(config, "SESSION_COOKIE_HTTPONLY");
        if (data.isEmpty()) {
            response.addHeader("Set-Cookie", SetCookie.dump(name, "", SetCookie.EPOCH, 0L, path, domain, secure,
                    httpOnly, sameSite, partitioned));
            Vary.addCookie(response);
            return;
        }
        UrlSafeTimedSerializer serializer = signingSerializer(app);
        if (serializer == null) {
            // Reached only by a save without open (a session the caller made itself): Flask's NullSession words.
            throw new IllegalStateException("The session is unavailable because no secret key was set.  Set"
                    + " flaskctx.config.SECRET_KEY to something unique and secret.");
        }
        Instant expires = permanent ? clock.instant().plus(lifetime(config)) : null;
        String value = serializer.dumps(data);
        String header = SetCookie.dump(name, value, expires, null, path, domain, secure, httpOnly, sameSite,
                partitioned);
        int limit = limit(config);
        if (header.length() > limit) {
            tooLarge.increment();
            String problem = "The '" + name + "' cookie would be " + header.length() + " bytes, over the limit of "
                    + limit + " (MAX_COOKIE_SIZE); browsers drop larger cookies without a word";
            if (oversize == Oversize.FAIL) {
                throw new IllegalStateException(problem + ". The session holds " + describe(data.keySet())
                        + "; keep less in it (an id, with the data server-side), or use"
                        + " flaskctx.session.store=servlet. (flaskctx.session.oversize=fail made this an error.)");
            }
            logOnce(data.keySet(), problem);
            Vary.addCookie(response);
            return;
        }
        response.addHeader("Set-Cookie", header);
        Vary.addCookie(response);
    }

    /** MAX_COOKIE_SIZE, where it is within what browsers keep; 0 (Flask: no warning) means the browsers' limit. */
    private static int limit(Config config) {
        Integer limit = config.get("MAX_COOKIE_SIZE", Integer.class);
        return limit == null || limit <= 0 || limit > BROWSER_COOKIE_LIMIT ? BROWSER_COOKIE_LIMIT : limit;
    }

    /** The keys, sorted, for a log line: control characters escaped and the list cut short (clients may set keys). */
    private static String describe(Set<String> keys) {
        StringBuilder text = new StringBuilder();
        for (char c : new TreeSet<>(keys).toString().toCharArray()) {
            if (text.length() >= 300) {
                return text.append("...]").toString();
            }
            text.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.toString();
    }

    private void logOnce(Set<String> keys, String problem) {
        String keySet = describe(keys);
        if (loggedKeySets.size() < MAX_LOGGED_KEY_SETS && loggedKeySets.add(keySet)) {
            logger.warn(problem + ". It was not sent: the browser keeps its previous"
                    + " cookie, and this request's session changes are lost. The session holds " + keySet + "; keep"
                    + " less in it (an id, with the data server-side), or use flaskctx.session.store=servlet."
                    + " Logged once per set of keys; counted as flaskctx.session.rejected{reason=too-large}.");
        }
    }

    private static String cookieName(Config config) {
        String name = config.get("SESSION_COOKIE_NAME", String.class);
        if (name == null) {
            throw new IllegalStateException("SESSION_COOKIE_NAME is null: the session cookie needs a name, such as"
                    + " session (Flask's default).");
        }
        return name;
    }

    private static @Nullable String path(Config config) {
        String path = config.get("SESSION_COOKIE_PATH", String.class);
        return path == null || path.isEmpty() ? config.get("APPLICATION_ROOT", String.class) : path;
    }

    private static boolean flag(Config config, String key) {
        return Boolean.TRUE.equals(config.get(key, Boolean.class));
    }

    private static Duration lifetime(Config config) {
        Duration lifetime = config.get("PERMANENT_SESSION_LIFETIME", Duration.class);
        return lifetime != null ? lifetime : Duration.ofDays(31);
    }

    /**
     * How many cookies this store refused for {@code reason} since it was created: the count behind the
     * {@code flaskctx.session.rejected} metric.
     *
     * @param reason why they were refused
     * @return the count
     */
    public long rejected(Reason reason) {
        return rejected[reason.ordinal()].sum();
    }

    /**
     * How many session cookies this store did not send (or failed the request for, with {@link Oversize#FAIL})
     * because browsers would drop them: the count behind {@code flaskctx.session.rejected{reason=too-large}}.
     *
     * @return the count
     */
    public long tooLarge() {
        return tooLarge.sum();
    }
}
