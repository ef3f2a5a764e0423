package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flask's signed-cookie session through MockMvc: CATALOGUE 6's doctored cookies never fail a request, the
 * session is opened only when used, hooks read and write it, and flashed messages cross requests.
 */
@SpringBootTest(classes = SessionApp.class, properties = {"flaskctx.app-name=sess",
        "flaskctx.config.SECRET_KEY=reference-secret-key"})
@AutoConfigureMockMvc
class SessionMockMvcTest {

    /** Flask's cookie for {'user': 'alice'} at the frozen second. */
    static final String ALICE = "eyJ1c2VyIjoiYWxpY2UifQ.ZVPxAA.4vyUI8vM4oRUt-bIkhDqIkrrWlo";

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry registry;

    @Autowired
    FlaskApp app;

    @AfterEach
    void threadHoldsNoContext() {
        assertThat(Flask.hasRequestContext() || Flask.hasAppContext()).isFalse();
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> invalidCookies() {
        try (InputStream in = SessionMockMvcTest.class.getResourceAsStream("/io/flaskctx/session/session_vectors.json")) {
            Map<String, Object> vectors = JsonMapper.builder().build().readValue(in, Map.class);
            return ((List<Map<String, Object>>) vectors.get("invalid_cookies")).stream()
                    .map(v -> Arguments.of(v.get("name"), v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCookies")
    @SuppressWarnings("unchecked")
    void everyDoctoredCookieGivesA200WithTheSessionFlaskSawOrAnEmptyOne(String name, Map<String, Object> vector)
            throws Exception {
        Map<String, Object> flask = (Map<String, Object>) vector.get("client_GET_read_testing_False");
        // Flask answered 500 for the validly signed payloads that are not objects; flaskctx gives an empty session
        String expected = flask.containsKey("status") && (int) flask.get("status") == 200
                && !"[{}]".equals(flask.get("session_seen_by_view")) ? null : "{}";

        MockHttpServletResponse response = mvc.perform(get("/read").cookie(new Cookie("session",
                        (String) vector.get("cookie_value"))))
                .andExpect(status().isOk()).andExpect(header().string("Vary", "Cookie"))
                .andExpect(header().doesNotExist("Set-Cookie")).andReturn().getResponse();

        if (expected != null) {
            assertThat(response.getContentAsString()).isEqualTo(expected);
        } else {
            assertThat(response.getContentAsString()).isNotEqualTo("{}");
        }
    }

    @Test
    void aSessionWrittenInOneRequestIsReadInTheNext() throws Exception {
        Cookie cookie = mvc.perform(get("/set").param("value", "bob")).andExpect(status().isOk())
                .andExpect(header().string("Vary", "Cookie")).andReturn().getResponse().getCookie("session");
        assertThat(cookie.getValue()).isEqualTo(
                new SecureCookieSessionInterface(new SessionApp().clock()).signingSerializer(app).dumps(Map.of("user", "bob")));
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getPath()).isEqualTo("/");

        mvc.perform(get("/read").cookie(cookie)).andExpect(content().string("{user=bob}"));
    }

    @Test
    void theFlaskCookieForAliceReadsAsAlice() throws Exception {
        mvc.perform(get("/read").cookie(new Cookie("session", ALICE))).andExpect(content().string("{user=alice}"))
                .andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void aRequestThatNeverUsesTheSessionGetsNoCookieAndNoVary() throws Exception {
        // CATALOGUE 6: a view that never touches session gets no Set-Cookie and no Vary
        mvc.perform(get("/touch-nothing").cookie(new Cookie("session", ALICE))).andExpect(status().isOk())
                .andExpect(header().doesNotExist("Vary")).andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void askingWhetherAKeyIsThereIsAnAccessToo() throws Exception {
        mvc.perform(get("/contains").cookie(new Cookie("session", ALICE))).andExpect(content().string("false"))
                .andExpect(header().string("Vary", "Cookie")).andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void removingAnAbsentKeySendsNoCookieToAnAnonymousVisitor() throws Exception {
        // session_mutators.json "/pop-absent anonymous": Werkzeug's pop of an absent key is no modification
        mvc.perform(get("/remove").param("key", "user")).andExpect(content().string("null"))
                .andExpect(header().string("Vary", "Cookie")).andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void removingAnAbsentKeyDoesNotReSignALoggedInVisitorsCookie() throws Exception {
        mvc.perform(get("/remove").param("key", "cart").cookie(new Cookie("session", ALICE)))
                .andExpect(content().string("null")).andExpect(header().string("Vary", "Cookie"))
                .andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void removingThePresentKeyStillSendsTheDeletionCookie() throws Exception {
        Cookie deleted = mvc.perform(get("/remove").param("key", "user").cookie(new Cookie("session", ALICE)))
                .andExpect(content().string("alice")).andReturn().getResponse().getCookie("session");
        assertThat(deleted.getMaxAge()).isZero();
    }

    @Test
    void aSessionWrittenThenMarkedUnmodifiedSendsNoCookie() throws Exception {
        // session_mutators.json "/set-then-unmodified" and "/clear-then-unmodified": session.modified = False
        mvc.perform(get("/set-then-unmodified")).andExpect(header().string("Vary", "Cookie"))
                .andExpect(header().doesNotExist("Set-Cookie"));
        mvc.perform(get("/set-then-unmodified").cookie(new Cookie("session", ALICE)))
                .andExpect(header().doesNotExist("Set-Cookie"));
        mvc.perform(get("/clear-then-unmodified").cookie(new Cookie("session", ALICE)))
                .andExpect(header().string("Vary", "Cookie")).andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void aPermanentSessionMarkedUnmodifiedIsStillRefreshed() {
        // "/permanent-unmodified": SESSION_REFRESH_EACH_REQUEST sends a permanent session's cookie regardless
        MockHttpServletResponse response = new MockHttpServletResponse();
        try (var ctx = app.requestContext(new org.springframework.mock.web.MockHttpServletRequest("GET", "/")).push()) {
            Flask.session().put("user", "alice");
            Flask.session().setPermanent(true);
            Flask.session().setModified(false);
            assertThat(Flask.session().isModified()).isFalse();
            ctx.saveSession(response);
        }
        assertThat(response.getCookie("session")).isNotNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("varyLines")
    void cookieJoinsTheVaryTheViewSetOnOneLine(List<String> lines, String merged) throws Exception {
        // session_mutators.json "/vary", "/vary-cookie-lower", "/vary-set-cookie": Werkzeug writes one Vary line
        for (boolean write : new boolean[] {false, true}) {
            var request = get("/vary").cookie(new Cookie("session", ALICE));
            lines.forEach(line -> request.param("line", line));
            if (write) {
                request.param("write", "");
            }
            MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
            assertThat(response.getHeaders("Vary")).as("write=%s", write).containsExactly(merged);
            assertThat(response.getCookie("session") != null).isEqualTo(write);
        }
    }

    static Stream<Arguments> varyLines() {
        return Stream.of(Arguments.of(List.of("Accept-Encoding, Accept-Language"), "Accept-Encoding, Accept-Language, Cookie"),
                Arguments.of(List.of("Accept-Encoding", "Accept-Language"), "Accept-Encoding, Accept-Language, Cookie"),
                Arguments.of(List.of("Accept-Encoding, cookie"), "Accept-Encoding, cookie"),
                Arguments.of(List.of("Accept-Encoding,,"), "Accept-Encoding, Cookie"),
                Arguments.of(List.of("*"), "*"));
    }

    @Test
    void clearingSendsTheDeletionCookie() throws Exception {
        Cookie deleted = mvc.perform(get("/clear").cookie(new Cookie("session", ALICE)))
                .andExpect(header().string("Vary", "Cookie")).andReturn().getResponse().getCookie("session");
        assertThat(deleted.getValue()).isEmpty();
        assertThat(deleted.getMaxAge()).isZero();
    }

    @Test
    void aPermanentSessionIsRefreshedOnARequestThatDoesNotTouchIt() throws Exception {
        // Flask saves every request's session: a permanent one is re-sent with a new Expires even here
        Cookie permanent = mvc.perform(get("/permanent")).andReturn().getResponse().getCookie("session");
        MockHttpServletResponse response = mvc.perform(get("/touch-nothing").cookie(permanent)).andReturn().getResponse();
        assertThat(response.getCookie("session")).isNotNull();
        assertThat(response.getHeader("Vary")).isEqualTo("Cookie");
    }

    @Test
    void aBeforeHookWritesTheSessionAndTheViewSeesIt() throws Exception {
        Cookie cookie = mvc.perform(get("/read").header("X-Login", "carol")).andExpect(content().string("{user=carol}"))
                .andReturn().getResponse().getCookie("session");
        mvc.perform(get("/read").cookie(cookie)).andExpect(content().string("{user=carol}"));
    }

    @Test
    void anAfterHookWritesTheSessionBeforeItIsSaved() throws Exception {
        Cookie cookie = mvc.perform(get("/set").param("stamp", "")).andReturn().getResponse().getCookie("session");
        mvc.perform(get("/read").cookie(cookie)).andExpect(content().string("{stamped=true, user=alice}"));
    }

    @Test
    void theInjectedSessionIsTheCurrentRequestsSession() throws Exception {
        Cookie cookie = mvc.perform(get("/proxy").cookie(new Cookie("session", ALICE)))
                .andExpect(content().string("{user=alice, via=proxy}")).andReturn().getResponse().getCookie("session");
        mvc.perform(get("/read").cookie(cookie)).andExpect(content().string("{user=alice, via=proxy}"));
        mvc.perform(get("/read")).andExpect(content().string("{}"));
    }

    @Test
    void flashedMessagesCrossToTheNextRequestAndAreTakenOnce() throws Exception {
        Cookie first = mvc.perform(get("/flash").param("message", "Saved!")).andReturn().getResponse().getCookie("session");
        Cookie both = mvc.perform(get("/flash").param("message", "Bad input \u2639").param("category", "error")
                .cookie(first)).andReturn().getResponse().getCookie("session");

        MockHttpServletResponse shown = mvc.perform(get("/flashes").cookie(both)).andReturn().getResponse();

        assertThat(shown.getContentAsString()).isEqualTo("[('message', 'Saved!'), ('error', 'Bad input \u2639')]");
        // taking them emptied the session: the deletion cookie
        assertThat(shown.getCookie("session").getMaxAge()).isZero();
        mvc.perform(get("/flashes").param("category", "error").cookie(both)).andExpect(content().string("[Bad input \u2639]"));
    }

    @Test
    void refusedCookiesAreCountedByReason() throws Exception {
        double before = rejected("signature");
        double expiredBefore = rejected("expired");
        String expired = new SecureCookieSessionInterface(java.time.Clock.offset(new SessionApp().clock(),
                Duration.ofDays(-32))).signingSerializer(app).dumps(Map.of("user", "alice"));

        mvc.perform(get("/read").cookie(new Cookie("session", ALICE.replace('4', '5')))).andExpect(content().string("{}"));
        mvc.perform(get("/read").cookie(new Cookie("session", expired))).andExpect(content().string("{}"));

        assertThat(rejected("signature") - before).isEqualTo(1);
        assertThat(rejected("expired") - expiredBefore).isEqualTo(1);
    }

    private double rejected(String reason) {
        return registry.get("flaskctx.session.rejected").tag("reason", reason).functionCounter().count();
    }
}
