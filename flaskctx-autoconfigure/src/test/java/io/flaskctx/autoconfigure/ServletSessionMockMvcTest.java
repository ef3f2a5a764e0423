package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.Tuple;
import io.flaskctx.session.ServletSessionInterface;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code flaskctx.session.store=servlet}: the session is the {@code HttpSession} (what Spring Session backs),
 * with Flask's rules on top, and needs no SECRET_KEY.
 */
@SpringBootTest(classes = SessionApp.class, properties = {"flaskctx.app-name=servlet", "flaskctx.session.store=servlet"})
@AutoConfigureMockMvc
class ServletSessionMockMvcTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    FlaskApp app;

    /** Records every setAttribute, as a store that persists on write would see them. */
    static final class RecordingSession extends MockHttpSession {
        final List<String> writes = new ArrayList<>();

        @Override
        public void setAttribute(String name, Object value) {
            writes.add(name);
            super.setAttribute(name, value);
        }
    }

    @AfterEach
    void threadHoldsNoContext() {
        assertThat(Flask.hasRequestContext() || Flask.hasAppContext()).isFalse();
    }

    @Test
    void installsTheServletStoreOnTheApp() {
        assertThat(app.sessionInterface()).isInstanceOf(ServletSessionInterface.class);
    }

    @Test
    void keepsTheSessionInTheHttpSessionAndSendsNoSessionCookie() throws Exception {
        HttpSession httpSession = mvc.perform(get("/set").param("value", "dora")).andExpect(header().string("Vary", "Cookie"))
                .andExpect(header().doesNotExist("Set-Cookie")).andReturn().getRequest().getSession(false);
        assertThat(httpSession).isNotNull();
        assertThat(httpSession.getAttribute("user")).isEqualTo("dora");

        mvc.perform(get("/read").session((MockHttpSession) httpSession)).andExpect(content().string("{user=dora}"));
    }

    @Test
    void cookieJoinsTheVaryTheViewSetOnOneLine() throws Exception {
        for (String write : new String[] {null, ""}) {
            var request = get("/vary").param("line", "Accept-Encoding").param("line", "Accept-Language");
            if (write != null) {
                request.param("write", write);
            }
            assertThat(mvc.perform(request).andReturn().getResponse().getHeaders("Vary"))
                    .containsExactly("Accept-Encoding, Accept-Language, Cookie");
        }
    }

    @Test
    void readingCreatesNoHttpSession() throws Exception {
        MockHttpServletRequest request = mvc.perform(get("/read")).andExpect(content().string("{}"))
                .andExpect(header().string("Vary", "Cookie")).andReturn().getRequest();
        assertThat(request.getSession(false)).isNull();
    }

    @Test
    void flashedMessagesWorkAsWithCookies() throws Exception {
        MockHttpSession httpSession = new MockHttpSession();
        mvc.perform(get("/flash").param("message", "Saved!").session(httpSession));
        assertThat(httpSession.getAttribute("_flashes")).isEqualTo(List.of(Tuple.of("message", "Saved!")));
        mvc.perform(get("/flashes").session(httpSession)).andExpect(content().string("[('message', 'Saved!')]"));
        mvc.perform(get("/flashes").session(httpSession)).andExpect(content().string("[]"));
    }

    @Test
    void clearingInvalidatesTheHttpSession() throws Exception {
        MockHttpSession httpSession = new MockHttpSession();
        httpSession.setAttribute("user", "erin");
        mvc.perform(get("/clear").session(httpSession)).andExpect(content().string("cleared"));
        assertThat(httpSession.isInvalid()).isTrue();
    }

    @Test
    void removingAnAbsentKeyNeitherWritesNorInvalidatesTheHttpSession() throws Exception {
        // An HttpSession other servlet code created and left empty: an absent key's removal is no modification,
        // so the save does not invalidate it as an emptied session.
        MockHttpSession httpSession = new MockHttpSession() {
            @Override
            public void removeAttribute(String name) {
                throw new AssertionError("removeAttribute(" + name + ")");
            }
        };
        mvc.perform(get("/remove").param("key", "user").session(httpSession)).andExpect(content().string("null"))
                .andExpect(header().string("Vary", "Cookie"));
        assertThat(httpSession.isInvalid()).isFalse();

        mvc.perform(get("/remove").param("key", "user")).andExpect(content().string("null"))
                .andExpect(header().doesNotExist("Set-Cookie"))
                .andExpect(result -> assertThat(result.getRequest().getSession(false)).isNull());
    }

    @Test
    void markedUnmodifiedAnEmptiedHttpSessionIsNotInvalidatedNorRewritten() throws Exception {
        MockHttpSession httpSession = new MockHttpSession();
        httpSession.setAttribute("user", "erin");
        mvc.perform(get("/clear-then-unmodified").session(httpSession)).andExpect(header().string("Vary", "Cookie"));
        assertThat(httpSession.isInvalid()).isFalse();

        RecordingSession recording = new RecordingSession();
        recording.setAttribute("cart", new ArrayList<>(List.of("apple")));
        recording.writes.clear();
        try (var ctx = app.requestContext(requestWith(recording)).push()) {
            Flask.session().markModified();
            Flask.session().setModified(false);
            ctx.saveSession(new org.springframework.mock.web.MockHttpServletResponse());
        }
        assertThat(recording.writes).isEmpty();
    }

    @Test
    void aPermanentSessionLivesForThePermanentSessionLifetime() throws Exception {
        MockHttpSession httpSession = new MockHttpSession();
        mvc.perform(get("/permanent").session(httpSession));
        assertThat(httpSession.getMaxInactiveInterval()).isEqualTo(31 * 24 * 3600);
    }

    @Test
    void markModifiedStoresEveryAttributeAgain() throws Exception {
        RecordingSession httpSession = new RecordingSession();
        httpSession.setAttribute("cart", new ArrayList<>(List.of("apple")));
        httpSession.writes.clear();
        try (var ctx = app.requestContext(requestWith(httpSession)).push()) {
            @SuppressWarnings("unchecked")
            List<String> cart = (List<String>) Flask.session().get("cart");
            cart.add("pear");
            ctx.saveSession(new org.springframework.mock.web.MockHttpServletResponse());
            assertThat(httpSession.writes).as("an in-place change alone is not written again").isEmpty();
            Flask.session().markModified();
            ctx.saveSession(new org.springframework.mock.web.MockHttpServletResponse());
        }
        assertThat(httpSession.writes).containsExactly("cart");
        assertThat(httpSession.getAttribute("cart")).isEqualTo(List.of("apple", "pear"));
    }

    @Test
    void putsAnyJavaValueAndTreatsNullAsRemovalAsTheServletApiDoes() {
        MockHttpSession httpSession = new MockHttpSession();
        try (var ctx = app.requestContext(requestWith(httpSession)).push()) {
            Flask.session().put("profile", Map.of("tags", java.util.Set.of("a")));
            Flask.session().put("gone", null);
            assertThat(Flask.session()).containsOnlyKeys("profile");
        }
    }

    @Test
    void aVisitorWithoutHttpSessionHasANewSession() {
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/")).push()) {
            assertThat(Flask.session().isNew()).isTrue();
            assertThat(Flask.session()).isEmpty();
        }
    }

    private static MockHttpServletRequest requestWith(MockHttpSession httpSession) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
        request.setSession(httpSession);
        return request;
    }
}
