package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.Session;
import io.flaskctx.session.BadDataException.Reason;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * CATALOGUE 6 "Cookie attributes and saving" and "SECRET_KEY_FALLBACKS": for each probe t6_sessions.py ran
 * against Flask, the same view on the same cookie and config gives exactly Flask's {@code Set-Cookie} and
 * {@code Vary} headers (recorded as the store writes them, before any servlet container touches them).
 */
@ExtendWith(OutputCaptureExtension.class)
class CookieRulesTest {

    private static final String GOOD = "eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.4vyUI8vM4oRUt-bIkhDqIkrrWlo";

    /** A response that keeps the headers exactly as added (the mock's cookie parsing reformats them). */
    static final class Recorded extends HttpServletResponseWrapper {
        final List<String> setCookie = new ArrayList<>();

        Recorded() {
            super(new MockHttpServletResponse());
        }

        @Override
        public void addHeader(String name, String value) {
            if (name.equalsIgnoreCase("Set-Cookie")) {
                setCookie.add(value);
            }
            super.addHeader(name, value);
        }

        /** The Vary line; Werkzeug writes one at most. */
        String varyHeader() {
            List<String> lines = new ArrayList<>(getHeaders("Vary"));
            assertThat(lines).as("Vary lines").hasSizeLessThanOrEqualTo(1);
            return lines.isEmpty() ? null : lines.get(0);
        }
    }

    static FlaskApp app(String secretKey, Map<String, String> config, long now) {
        FlaskApp app = new FlaskApp("sess");
        if (secretKey != null) {
            app.config().put("SECRET_KEY", secretKey);
        }
        app.config().putAll(config);
        app.setSessionInterface(new SecureCookieSessionInterface(Vectors.clockAt(now)));
        return app;
    }

    /** The views of t6_sessions.py's test app. */
    @SuppressWarnings("unchecked")
    static void view(String path, Session session) {
        switch (path) {
            case "/set" -> session.put("user", "alice");
            case "/set-permanent" -> {
                session.put("user", "alice");
                session.setPermanent(true);
            }
            case "/read" -> new LinkedHashMap<>(session);
            case "/contains" -> session.containsKey("x");
            case "/clear" -> session.clear();
            case "/mutate-nested" -> ((Map<String, Object>) session.get("d")).put("inner", "changed");
            case "/mutate-nested-flagged" -> {
                ((Map<String, Object>) session.get("d")).put("inner", "changed");
                session.markModified();
            }
            case "/touch-nothing" -> { }
            default -> throw new IllegalArgumentException(path);
        }
    }

    static Recorded request(FlaskApp app, String path, String cookie) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        if (cookie != null) {
            request.setCookies(new Cookie("session", cookie));
        }
        Recorded response = new Recorded();
        try (RequestContext ctx = app.requestContext(request).push()) {
            if (!path.equals("/touch-nothing")) {
                view(path, Flask.session());
            }
            ctx.saveSession(response);
        }
        return response;
    }

    private static String signedAt(long time, Map<String, Object> data) {
        return Vectors.serializer(Vectors.SECRET_KEY, time).dumps(data);
    }

    static Stream<Arguments> probes() {
        Map<String, Object> permanent = new LinkedHashMap<>();
        permanent.put("user", "alice");
        permanent.put("_permanent", true);
        String perm = signedAt(Vectors.FROZEN - 100, permanent);
        String nonPermOld = signedAt(Vectors.FROZEN - 100, Map.of("user", "alice"));
        String nested = signedAt(Vectors.FROZEN, Map.of("d", Map.of("inner", "orig")));
        // label in the vectors -> the view's path and the cookie the probe sent
        Map<String, Object[]> setups = Map.ofEntries(
                Map.entry("default, session modified", new Object[] {"/set", null}),
                Map.entry("permanent session (Expires = now + PERMANENT_SESSION_LIFETIME)", new Object[] {"/set-permanent", null}),
                Map.entry("permanent, PERMANENT_SESSION_LIFETIME=3600 (int seconds)", new Object[] {"/set-permanent", null}),
                Map.entry("all attributes configured", new Object[] {"/set", null}),
                Map.entry("SameSite=Strict", new Object[] {"/set", null}),
                Map.entry("SameSite=None (string)", new Object[] {"/set", null}),
                Map.entry("PARTITIONED (forces Secure)", new Object[] {"/set", null}),
                Map.entry("APPLICATION_ROOT=/mnt used as Path", new Object[] {"/set", null}),
                Map.entry("SESSION_COOKIE_DOMAIN with leading dot and port", new Object[] {"/set", null}),
                Map.entry("view never touches session", new Object[] {"/touch-nothing", GOOD}),
                Map.entry("view only reads session (no modification)", new Object[] {"/read", GOOD}),
                Map.entry("view only does `'x' in session`", new Object[] {"/contains", GOOD}),
                Map.entry("view clears a non-empty session (deletion cookie)", new Object[] {"/clear", GOOD}),
                Map.entry("view clears an already-empty session", new Object[] {"/clear", null}),
                Map.entry("read-only, permanent cookie, SESSION_REFRESH_EACH_REQUEST=True (default)", new Object[] {"/read", perm}),
                Map.entry("read-only, permanent cookie, SESSION_REFRESH_EACH_REQUEST=False", new Object[] {"/read", perm}),
                Map.entry("read-only, non-permanent cookie, refresh=True", new Object[] {"/read", nonPermOld}),
                Map.entry("mutating a nested dict does NOT mark modified", new Object[] {"/mutate-nested", nested}),
                Map.entry("mutating nested + session.modified=True", new Object[] {"/mutate-nested-flagged", nested}));
        List<Arguments> probes = new ArrayList<>();
        for (Map<String, Object> probe : Vectors.list("cookie_attributes")) {
            Object[] setup = setups.get((String) probe.get("label"));
            if (setup != null) {
                probes.add(Arguments.of(probe.get("label"), setup[0], setup[1], probe));
            }
        }
        assertThat(probes).hasSize(setups.size());
        return probes.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    @SuppressWarnings("unchecked")
    void sendsExactlyFlasksHeaders(String label, String path, String cookie, Map<String, Object> probe) {
        Map<String, String> config = (Map<String, String>) probe.get("config");
        FlaskApp app = app(Vectors.SECRET_KEY, config, Vectors.FROZEN);

        Recorded response = request(app, path, cookie);

        assertThat(response.setCookie).as("Set-Cookie").isEqualTo(probe.get("set_cookie"));
        assertThat(response.varyHeader()).as("Vary").isEqualTo(probe.get("vary"));
    }

    @Test
    void withoutSecretKeyAReadOnlyViewGetsNoCookieAndNoVary() {
        Recorded response = request(app(null, Map.of(), Vectors.FROZEN), "/read", GOOD);
        assertThat(response.setCookie).isEmpty();
        assertThat(response.varyHeader()).isNull();
    }

    static Stream<Arguments> fallbackProbes() {
        return Vectors.list("secret_key_fallbacks").stream().filter(p -> p.containsKey("cookie_sent"))
                .map(p -> Arguments.of(p.get("label"), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fallbackProbes")
    @SuppressWarnings("unchecked")
    void verifiesWithTheFallbacksAndSignsWithTheCurrentKey(String label, Map<String, Object> probe) {
        Map<String, String> config = (Map<String, String>) probe.get("config");
        FlaskApp app = app("new-key", Map.of(), Vectors.FROZEN);
        String fallbacks = config.get("SECRET_KEY_FALLBACKS");
        if (fallbacks != null) {
            // the vectors print Python's list: ['older-key', 'old-key']
            app.config().put("SECRET_KEY_FALLBACKS", List.of(fallbacks.replaceAll("[\\[\\]' ]", "").split(",")));
        }
        List<Map<String, Object>> seen = new ArrayList<>();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", (String) probe.get("path"));
        request.setCookies(new Cookie("session", (String) probe.get("cookie_sent")));
        Recorded response = new Recorded();
        try (RequestContext ctx = app.requestContext(request).push()) {
            if (probe.get("path").equals("/set")) {
                Flask.session().put("extra", 1);
            } else {
                seen.add(new LinkedHashMap<>(Flask.session()));
            }
            ctx.saveSession(response);
        }

        assertThat(response.setCookie).isEqualTo(probe.get("set_cookie"));
        if (probe.get("path").equals("/read")) {
            String flaskSaw = (String) probe.get("session_seen");
            assertThat(seen.get(0).isEmpty()).as(flaskSaw).isEqualTo(flaskSaw.equals("[{}]"));
        }
    }

    @Test
    void countsEachRefusedCookieByReasonAndGivesAnEmptySession() {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of(), Vectors.FROZEN);
        SecureCookieSessionInterface store = (SecureCookieSessionInterface) app.sessionInterface();
        for (Map<String, Object> invalid : Vectors.list("invalid_cookies")) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
            request.setCookies(new Cookie("session", (String) invalid.get("cookie_value")));
            Session session = store.open(app, request);
            boolean flaskKept = ((Map<?, ?>) invalid.get("flask_open_session")).containsKey("ok");
            if (!flaskKept) {
                assertThat(session).as((String) invalid.get("name")).isEmpty();
            }
        }
        // 10 with a bad signature, 1 timestamp missing, 1 expired, 1 future, 4 validly signed bad payloads; the
        // empty cookie is no cookie at all and JSON null is an empty session in Flask too, so neither counts
        assertThat(store.rejected(Reason.SIGNATURE)).isEqualTo(10);
        assertThat(store.rejected(Reason.TIMESTAMP)).isEqualTo(1);
        assertThat(store.rejected(Reason.EXPIRED)).isEqualTo(1);
        assertThat(store.rejected(Reason.FUTURE)).isEqualTo(1);
        assertThat(store.rejected(Reason.PAYLOAD)).isEqualTo(4);
        assertThat(store.rejected(Reason.OVERSIZED)).isZero();
    }

    @Test
    void readsAListOfPairsAsPythonsDictDoesAndRefusesOtherNonObjects() throws Exception {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of(), Vectors.FROZEN);
        SecureCookieSessionInterface store = (SecureCookieSessionInterface) app.sessionInterface();
        MockHttpServletRequest pairs = new MockHttpServletRequest("GET", "/");
        pairs.setCookies(new Cookie("session", signedRaw("[[\"user\",\"alice\"]]")));
        assertThat(store.open(app, pairs)).containsEntry("user", "alice");

        MockHttpServletRequest number = new MockHttpServletRequest("GET", "/");
        number.setCookies(new Cookie("session", signedRaw("42")));
        assertThat(store.open(app, number)).isEmpty();
        assertThat(store.rejected(Reason.PAYLOAD)).isEqualTo(1);
    }

    /** Flask's signature over an arbitrary JSON payload, at the frozen second. */
    private static String signedRaw(String json) throws Exception {
        String signed = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes()) + ".ZVPxAA";
        return signed + "." + SessionVectorsTest.signature(signed);
    }

    /** Flask sends its 6 KB cookie with a warning (hardening.json); browsers drop it. flaskctx sends none. */
    @Test
    @SuppressWarnings("unchecked")
    void doesNotSendACookieOverMaxCookieSizeSoTheBrowserKeepsItsPreviousOne(CapturedOutput output) {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of(), Vectors.FROZEN);
        SecureCookieSessionInterface store = (SecureCookieSessionInterface) app.sessionInterface();
        Map<String, Object> vector = Vectors.list("payload_vectors").stream()
                .filter(v -> v.get("name").equals("large_incompressible_over_4093")).findFirst().orElseThrow();
        assertThat(((String) vector.get("set_cookie_header")).length()).as("what Flask sends").isGreaterThan(4093);
        List<Recorded> responses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
            Recorded response = new Recorded();
            try (RequestContext ctx = app.requestContext(request).push()) {
                Flask.session().putAll((Map<String, Object>) Vectors.input(vector));
                ctx.saveSession(response);
            }
            responses.add(response);
        }
        for (Recorded response : responses) {
            assertThat(response.setCookie).isEmpty();
            assertThat(response.varyHeader()).isEqualTo("Cookie");
        }
        assertThat(store.tooLarge()).isEqualTo(2);
        // once per set of keys, naming the size, the limit and the keys
        // (through commons-logging, as WARN of the store's own category)
        List<String> warnings = output.getAll().lines().filter(l -> l.contains("the browser keeps its previous cookie"))
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("WARN").contains(SecureCookieSessionInterface.class.getSimpleName())
                .contains("cookie would be " + ((String) vector.get("set_cookie_header")).length() + " bytes").contains("over the limit of 4093 (MAX_COOKIE_SIZE)")
                .contains("the browser keeps its previous cookie").contains("reason=too-large");
    }

    @Test
    @SuppressWarnings("unchecked")
    void failsTheSaveOfACookieOverMaxCookieSizeWhenTheAppChoseTo() {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of(), Vectors.FROZEN);
        SecureCookieSessionInterface store = new SecureCookieSessionInterface(Vectors.clockAt(Vectors.FROZEN),
                SecureCookieSessionInterface.Oversize.FAIL);
        app.setSessionInterface(store);
        Map<String, Object> vector = Vectors.list("payload_vectors").stream()
                .filter(v -> v.get("name").equals("large_incompressible_over_4093")).findFirst().orElseThrow();
        Recorded response = new Recorded();
        try (RequestContext ctx = app.requestContext(new MockHttpServletRequest("GET", "/")).push()) {
            Flask.session().putAll((Map<String, Object>) Vectors.input(vector));
            assertThatThrownBy(() -> ctx.saveSession(response)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("over the limit of 4093 (MAX_COOKIE_SIZE)")
                    .hasMessageContaining("flaskctx.session.oversize=fail");
        }
        assertThat(response.setCookie).isEmpty();
        assertThat(store.tooLarge()).isEqualTo(1);
    }

    /** Flask iterates a string of fallbacks, so each character verifies (hardening.json); here it is one key. */
    @Test
    void aStringOfFallbacksIsOneKeyNotOneKeyPerCharacterOrPerComma() {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of("SECRET_KEY_FALLBACKS", "change-me,ab,c"), Vectors.FROZEN);
        SecureCookieSessionInterface store = (SecureCookieSessionInterface) app.sessionInterface();
        for (String key : new String[] {"c", ",", "ab", "change-me"}) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
            request.setCookies(new Cookie("session", Vectors.serializer(key, Vectors.FROZEN).dumps(Map.of("user", "admin"))));
            assertThat(store.open(app, request)).as("signed with '%s'", key).isEmpty();
        }
        assertThat(store.rejected(Reason.SIGNATURE)).isEqualTo(4);
        MockHttpServletRequest rotated = new MockHttpServletRequest("GET", "/");
        rotated.setCookies(new Cookie("session", Vectors.serializer("change-me,ab,c", Vectors.FROZEN)
                .dumps(Map.of("user", "ann"))));
        assertThat(store.open(app, rotated)).containsExactly(Map.entry("user", "ann"));
    }

    @Test
    void refusesAnInvalidSameSiteWhenSavingAsWerkzeugDoes() {
        FlaskApp app = app(Vectors.SECRET_KEY, Map.of("SESSION_COOKIE_SAMESITE", "Sometimes"), Vectors.FROZEN);
        assertThatThrownBy(() -> request(app, "/set", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SameSite must be 'Strict', 'Lax', or 'None'");
    }

    @Test
    void quotesThePathAndEncodesAnInternationalDomainAsWerkzeugDoes() {
        assertThat(SetCookie.dump("s", "v", null, null, "/a b/\u00e9;x", "b\u00fccher.example:443", false, false,
                "lax", false)).isEqualTo("s=v; Domain=xn--bcher-kva.example; Path=/a%20b/%C3%A9%3Bx; SameSite=Lax");
    }
}
