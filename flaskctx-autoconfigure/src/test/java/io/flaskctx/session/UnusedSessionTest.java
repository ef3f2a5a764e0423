package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A request that never uses its session: flaskctx opens the session on first use, and at the end asks the session
 * interface whether saving the unused session could do anything ({@link SessionInterface#savesUnusedSession}).
 * Without a session cookie it cannot, so the session is never opened; with one, a permanent session is refreshed
 * as Flask refreshes it (SESSION_REFRESH_EACH_REQUEST). An interface that does not say keeps Flask's behaviour:
 * every request's session is opened and saved.
 */
class UnusedSessionTest {

    /** Counts what the request asks of the store it wraps. */
    static final class Counting implements SessionInterface {
        final SessionInterface store;
        final boolean asks;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger saved = new AtomicInteger();

        Counting(SessionInterface store, boolean asks) {
            this.store = store;
            this.asks = asks;
        }

        @Override
        public @Nullable Session open(FlaskApp app, HttpServletRequest request) {
            opened.incrementAndGet();
            return store.open(app, request);
        }

        @Override
        public void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response) {
            saved.incrementAndGet();
            store.save(app, session, request, response);
        }

        @Override
        public boolean savesUnusedSession(FlaskApp app, HttpServletRequest request) {
            return asks ? store.savesUnusedSession(app, request) : SessionInterface.super.savesUnusedSession(app,
                    request);
        }
    }

    private static Counting app(FlaskApp app, boolean asks) {
        app.config().put("SECRET_KEY", Vectors.SECRET_KEY);
        Counting counting = new Counting(new SecureCookieSessionInterface(Vectors.clockAt(Vectors.FROZEN)), asks);
        app.setSessionInterface(counting);
        return counting;
    }

    private static CookieRulesTest.Recorded unusedRequest(FlaskApp app, @Nullable Cookie cookie) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/touch-nothing");
        if (cookie != null) {
            request.setCookies(cookie);
        }
        CookieRulesTest.Recorded response = new CookieRulesTest.Recorded();
        try (RequestContext ctx = app.requestContext(request).push()) {
            ctx.saveSession(response);
        }
        return response;
    }

    private static String permanentCookie() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("_permanent", true);
        data.put("user", "alice");
        return Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN).dumps(data);
    }

    @Test
    void aRequestWithoutASessionCookieNeverOpensItsUnusedSession() {
        FlaskApp app = new FlaskApp("unused");
        Counting store = app(app, true);
        CookieRulesTest.Recorded response = unusedRequest(app, null);
        assertThat(store.opened).hasValue(0);
        assertThat(store.saved).hasValue(0);
        assertThat(response.setCookie).isEmpty();
        assertThat(response.varyHeader()).isNull();
        // an empty cookie is no session either
        unusedRequest(app, new Cookie("session", ""));
        assertThat(store.opened).hasValue(0);
    }

    @Test
    void anUnusedPermanentSessionIsStillOpenedAndRefreshed() {
        FlaskApp app = new FlaskApp("unused");
        Counting store = app(app, true);
        CookieRulesTest.Recorded response = unusedRequest(app, new Cookie("session", permanentCookie()));
        assertThat(store.opened).hasValue(1);
        assertThat(store.saved).hasValue(1);
        assertThat(response.setCookie).singleElement().asString().startsWith("session=").contains("Expires=");
        // Flask adds Vary: Cookie with every cookie it sets
        assertThat(response.varyHeader()).isEqualTo("Cookie");
    }

    @Test
    void aCookieUnderAnotherNameIsNoSession() {
        FlaskApp app = new FlaskApp("unused");
        Counting store = app(app, true);
        app.config().put("SESSION_COOKIE_NAME", "shop_session");
        unusedRequest(app, new Cookie("session", permanentCookie()));
        assertThat(store.opened).hasValue(0);
        CookieRulesTest.Recorded response = unusedRequest(app, new Cookie("shop_session", permanentCookie()));
        assertThat(store.opened).hasValue(1);
        assertThat(response.setCookie).singleElement().asString().startsWith("shop_session=");
    }

    @Test
    void anInterfaceThatDoesNotSayIsOpenedAndSavedOnEveryRequestAsInFlask() {
        FlaskApp app = new FlaskApp("unused");
        Counting store = app(app, false);
        unusedRequest(app, null);
        assertThat(store.opened).hasValue(1);
        assertThat(store.saved).hasValue(1);
    }

    @Test
    void theServletStoreSavesAnUnusedSessionOnlyWhereAnHttpSessionExists() {
        FlaskApp app = new FlaskApp("unused");
        ServletSessionInterface store = new ServletSessionInterface();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        assertThat(store.savesUnusedSession(app, request)).isFalse();
        request.getSession(true);
        assertThat(store.savesUnusedSession(app, request)).isTrue();
    }
}
