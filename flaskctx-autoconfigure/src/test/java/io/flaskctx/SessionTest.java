package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.session.SecureCookieSessionInterface;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * CATALOGUE sections 4 and 6 in the core, without Spring: the request context's session (opened on first
 * use), Flask's {@code session}, {@code flash} and {@code get_flashed_messages}, and the null session.
 */
class SessionTest {

    /** Flask's cookie for flash('Saved!') then flash('Bad input ☹', 'error') at 1700000000 (vector "flashes"). */
    private static final String FLASHES_COOKIE = ".eJyrVopPy0kszkgtVrKKrlZSKAFSSrmpxcWJ6alKOkrBiWWpKYpKsbU6MLnUoqL8IqCMU2KKQm"
            + "ZeQWmJQkypkZmxJVBNbC0A3NoYyw.ZVPxAA.M3NKkp1XPTWK_bwVpSu1EOzDu2Q";
    private static final Clock FROZEN = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    @AfterEach
    void threadIsClean() {
        assertThat(CleanThread.wasLeftWithContexts()).as("test left a context pushed").isFalse();
    }

    private static FlaskApp app() {
        FlaskApp app = new FlaskApp("sess");
        app.config().put("SECRET_KEY", "reference-secret-key");
        app.setSessionInterface(new SecureCookieSessionInterface(FROZEN));
        return app;
    }

    /**
     * Makes {@code app}'s session interface count the sessions it opens, each opening made {@code spins} spin-waits
     * longer (a wider window for racing openers); {@return the count}
     */
    private static AtomicInteger countingOpenings(FlaskApp app, int spins) {
        AtomicInteger opened = new AtomicInteger();
        SessionInterface cookies = app.sessionInterface();
        app.setSessionInterface(new SessionInterface() {
            @Override
            public Session open(FlaskApp a, HttpServletRequest r) {
                opened.incrementAndGet();
                for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                }
                return cookies.open(a, r);
            }

            @Override
            public void save(FlaskApp a, Session s, HttpServletRequest r, HttpServletResponse response) {
                cookies.save(a, s, r, response);
            }
        });
        return opened;
    }

    private static MockHttpServletRequest request(Cookie... cookies) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        if (cookies.length > 0) {
            request.setCookies(cookies);
        }
        return request;
    }

    @Test
    void anAppBuiltByHandKeepsItsSessionsInSignedCookiesAsFlaskDoes() {
        // found through the ServiceLoader: the core does not import the session package
        assertThat(new FlaskApp("plain").sessionInterface()).isInstanceOf(SecureCookieSessionInterface.class)
                .isNotSameAs(new FlaskApp("other").sessionInterface());
    }

    @Test
    void opensTheSessionOnFirstUseOnlyAndOnceAndMarksItAccessed() {
        FlaskApp app = app();
        AtomicInteger opened = countingOpenings(app, 0);
        try (var ctx = app.requestContext(request()).push()) {
            assertThat(opened).as("a request that never uses the session opens none").hasValue(0);
            Session session = Flask.session();
            assertThat(session.isAccessed()).isTrue();
            assertThat(Flask.session()).isSameAs(session).isSameAs(ctx.session());
            assertThat(opened).hasValue(1);
        }
    }

    @Test
    void sessionOutsideARequestRaisesFlasksMessageEvenInAnAppContext() {
        // CATALOGUE 4: session.get(...) outside a request raises RuntimeError(MSG_REQ), in a bare app context too
        assertThatThrownBy(Flask::session).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("Working outside of request context.");
        try (var ctx = app().appContext().push()) {
            assertThatThrownBy(() -> Session.proxy().get("x")).isInstanceOf(OutsideContextException.class);
            assertThatThrownBy(() -> Flask.flash("x")).isInstanceOf(OutsideContextException.class);
        }
        assertThat(Session.proxy()).hasToString("<LocalProxy unbound>");
    }

    @Test
    void theProxyIsTheCurrentRequestsSession() {
        FlaskApp app = app();
        try (var ctx = app.requestContext(request()).push()) {
            Session.proxy().put("user", "alice");
            assertThat(Flask.session()).containsEntry("user", "alice");
            assertThat(Session.proxy()).isEqualTo(Flask.session());
            assertThat(Session.proxy().isModified()).isTrue();
        }
        try (var ctx = app.requestContext(request()).push()) {
            assertThat(Session.proxy()).isEmpty();
        }
    }

    @Test
    void withoutSecretKeyTheSessionReadsEmptyAndRefusesWritesWithFlasksMessage() {
        // CATALOGUE 4: NullSession; get returns None; writing raises; no cookie and no Vary
        FlaskApp app = new FlaskApp("nokey");
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app.requestContext(request()).push()) {
            Session session = Flask.session();
            assertThat(session.get("x")).isNull();
            assertThat(session).isEmpty();
            assertThatThrownBy(() -> session.put("x", 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("The session is unavailable because no secret key was set.  Set"
                            + " flaskctx.config.SECRET_KEY");
            assertThatThrownBy(session::clear).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> session.setPermanent(true)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Flask.flash("hi")).isInstanceOf(IllegalStateException.class);
            ctx.saveSession(response);
        }
        assertThat(response.getHeaderNames()).isEmpty();
    }

    @Test
    void aNullSessionTakesModifiedEitherWayAndIsStillNeverSaved() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = new FlaskApp("nokey").requestContext(request()).push()) {
            Flask.session().setModified(true);
            Flask.session().setModified(false);
            assertThat(Flask.session().isModified()).isFalse();
            ctx.saveSession(response);
        }
        assertThat(response.getHeaderNames()).isEmpty();
    }

    @Test
    void aSessionThatCannotForgetItsWritesRefusesToBeMarkedUnmodified() {
        class Remembering extends java.util.HashMap<String, Object> implements Session {
            boolean modified;

            @Override
            public boolean isNew() {
                return false;
            }

            @Override
            public boolean isModified() {
                return modified;
            }

            @Override
            public void markModified() {
                modified = true;
            }

            @Override
            public boolean isAccessed() {
                return true;
            }

            @Override
            public void markAccessed() {
            }
        }
        Remembering session = new Remembering();
        session.setModified(true);
        assertThat(session.modified).isTrue();
        assertThatThrownBy(() -> session.setModified(false)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("override Session.setModified(boolean)");
    }

    @Test
    void flashStoresFlasksLayoutByteForByte() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app().requestContext(request()).push()) {
            Flask.flash("Saved!");
            Flask.flash("Bad input \u2639", "error");
            assertThat(Flask.session().get("_flashes")).isEqualTo(
                    List.of(Tuple.of("message", "Saved!"), Tuple.of("error", "Bad input \u2639")));
            ctx.saveSession(response);
        }
        assertThat(response.getCookie("session").getValue()).isEqualTo(FLASHES_COOKIE);
    }

    @Test
    void getFlashedMessagesTakesThemOutOfTheSessionOnceAndReturnsTheSameOnesAfterwards() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app().requestContext(request(new Cookie("session", FLASHES_COOKIE))).push()) {
            assertThat(Flask.getFlashedMessages()).containsExactly("Saved!", "Bad input \u2639");
            assertThat(Flask.session()).doesNotContainKey("_flashes");
            assertThat(Flask.session().isModified()).isTrue();
            assertThat(Flask.getFlashedMessages()).containsExactly("Saved!", "Bad input \u2639");
            assertThat(Flask.getFlashedMessages("error")).containsExactly("Bad input \u2639");
            assertThat(Flask.getFlashedMessagesWithCategories()).containsExactly(Tuple.of("message", "Saved!"),
                    Tuple.of("error", "Bad input \u2639"));
            assertThat(Flask.getFlashedMessagesWithCategories("message", "info"))
                    .containsExactly(Tuple.of("message", "Saved!"));
            ctx.saveSession(response);
        }
        // the session is empty now: Flask sends the deletion cookie
        assertThat(response.getCookie("session").getValue()).isEmpty();
        assertThat(response.getCookie("session").getMaxAge()).isZero();
    }

    @Test
    void withNothingFlashedGetFlashedMessagesLeavesTheSessionUnmodified() {
        try (var ctx = app().requestContext(request()).push()) {
            assertThat(Flask.getFlashedMessages()).isEmpty();
            assertThat(Flask.session().isModified()).isFalse();
        }
    }

    @Test
    void aFlashedMarkupStaysMarkup() {
        try (var ctx = app().requestContext(request()).push()) {
            Flask.flash(Markup.of("<b>Saved</b>"), "info");
            assertThat(Flask.session().get("_flashes")).isEqualTo(List.of(Tuple.of("info", Markup.of("<b>Saved</b>"))));
        }
    }

    @Test
    void aValueTheCookieCannotHoldFailsAtThePutThatStoredIt() {
        try (var ctx = app().requestContext(request()).push()) {
            Session session = Flask.session();
            assertThatThrownBy(() -> session.put("cart", java.util.Set.of("apple")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store a List");
            assertThat(session).isEmpty();
        }
    }

    @Test
    void aCopiedRequestContextOnAnotherThreadSharesTheSession() throws Exception {
        // CATALOGUE 4: copy_current_request_context in a worker thread sees the same session object
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app().requestContext(request()).push()) {
            Flask.session().put("user", "alice");
            Session[] seen = new Session[1];
            Thread worker = new Thread(Flask.copyCurrentRequestContext().wrap(() -> {
                seen[0] = Flask.session();
                Flask.session().put("audited", true);
            }));
            worker.start();
            worker.join(10_000);
            assertThat(seen[0]).isSameAs(Flask.session());
            assertThat(Flask.session()).containsEntry("audited", true);
            ctx.saveSession(response);
        }
        assertThat(response.getCookie("session")).isNotNull();
    }

    @Test
    void copiesThatOpenTheSessionAtOnceOnSeveralThreadsShareOneOpenedOnceAndTheSaveSendsTheirWrites()
            throws Exception {
        // The session is read without the lock once open: the first opening must still be one, whoever races.
        FlaskApp app = app();
        AtomicInteger opened = countingOpenings(app, 2_000);
        int threads = 4;
        for (int round = 0; round < 50; round++) {
            opened.set(0);
            MockHttpServletResponse response = new MockHttpServletResponse();
            try (var ctx = app.requestContext(request()).push()) {
                CyclicBarrier start = new CyclicBarrier(threads);
                Session[] seen = new Session[threads];
                Thread[] workers = new Thread[threads];
                for (int i = 0; i < threads; i++) {
                    int n = i;
                    workers[i] = new Thread(Flask.copyCurrentRequestContext().wrap(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        seen[n] = Flask.session();
                        seen[n].put("worker" + n, n);
                    }));
                    workers[i].start();
                }
                for (Thread worker : workers) {
                    worker.join(10_000);
                }
                assertThat(opened).as("round %d: the session is opened once", round).hasValue(1);
                assertThat(seen).as("round %d", round).containsOnly(Flask.session());
                ctx.saveSession(response);
            }
            Cookie sent = response.getCookie("session");
            assertThat(sent).as("round %d: the save sends the copies' writes", round).isNotNull();
            try (var next = app.requestContext(request(sent)).push()) {
                assertThat(Flask.session()).containsOnlyKeys("worker0", "worker1", "worker2", "worker3");
            }
        }
    }

    @Test
    void savesNothingForAnUntouchedSessionWithoutCookie() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app().requestContext(request()).push()) {
            ctx.saveSession(response);
        }
        assertThat(response.getHeaderNames()).isEmpty();
    }
}
