package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;

/**
 * Which writes mark a session modified, against what Werkzeug's {@code UpdateDictMixin} answered
 * ({@code session_mutators.json}, written by {@code session_mutators.py} beside it): a {@code pop} or
 * {@code setdefault} that changes nothing is no modification, every other write is, even one that changes
 * nothing. Both built-in stores follow it.
 */
class SessionMutatorsTest {

    private static final Map<String, Object> FIXTURES = Vectors.read("session_mutators.json");

    /** The Python case, and the Java call a Flask user would write for it. */
    private static final Map<String, Consumer<Session>> JAVA = new LinkedHashMap<>();

    static {
        JAVA.put("setitem_new", s -> s.put("a", 1L));
        JAVA.put("setitem_same_value", s -> s.put("a", 1L));
        JAVA.put("delitem_present", s -> s.remove("a"));
        JAVA.put("delitem_absent", s -> s.remove("b"));
        JAVA.put("pop_present", s -> s.remove("a"));
        JAVA.put("pop_absent", s -> s.remove("b"));
        JAVA.put("pop_absent_default", s -> s.remove("b"));
        JAVA.put("pop_present_default", s -> s.remove("a"));
        JAVA.put("setdefault_absent", s -> s.putIfAbsent("a", 1L));
        JAVA.put("setdefault_present", s -> s.putIfAbsent("a", 2L));
        JAVA.put("clear_nonempty", Session::clear);
        JAVA.put("clear_empty", Session::clear);
        JAVA.put("update_new", s -> s.putAll(Map.of("a", 1L)));
        JAVA.put("update_empty", s -> s.putAll(Map.of()));
        JAVA.put("update_same_value", s -> s.putAll(Map.of("a", 1L)));
        JAVA.put("ior_empty", s -> s.putAll(Map.of()));
        JAVA.put("get", s -> s.get("a"));
        JAVA.put("contains", s -> s.containsKey("a"));
        JAVA.put("permanent_set_false_when_absent", s -> s.setPermanent(false));
    }

    @SuppressWarnings("unchecked")
    private static void marksModifiedAsWerkzeug(Function<Map<String, Object>, Session> open) {
        Map<String, Map<String, Object>> python = (Map<String, Map<String, Object>>) FIXTURES.get("mutators");
        SoftAssertions softly = new SoftAssertions();
        JAVA.forEach((name, call) -> {
            Map<String, Object> observed = python.get(name);
            Map<String, Object> initial = new LinkedHashMap<>();
            ((Map<String, Object>) observed.get("initial")).forEach((k, v) -> initial.put(k, ((Number) v).longValue()));
            Session session = open.apply(initial);
            call.accept(session);
            softly.assertThat(session.isModified()).as(name).isEqualTo(observed.get("modified"));
        });
        softly.assertAll();
    }

    @Test
    void theCookieSessionIsModifiedExactlyWhenWerkzeugsIs() {
        marksModifiedAsWerkzeug(SecureCookieSession::new);
    }

    @Test
    void theServletSessionIsModifiedExactlyWhenWerkzeugsIs() {
        marksModifiedAsWerkzeug(initial -> {
            MockHttpServletRequest request = new MockHttpServletRequest();
            MockHttpSession httpSession = new MockHttpSession();
            initial.forEach(httpSession::setAttribute);
            request.setSession(httpSession);
            return new ServletSession(request);
        });
    }

    @Test
    void removingAnAbsentKeyLeavesTheHttpSessionUntouched() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        MockHttpSession httpSession = new MockHttpSession() {
            @Override
            public void removeAttribute(String name) {
                throw new AssertionError("removeAttribute(" + name + ")");
            }
        };
        httpSession.setAttribute("user", "alice");
        request.setSession(httpSession);
        Session session = new ServletSession(request);

        assertThat(session.remove("absent")).isNull();
        assertThat(session.isModified()).isFalse();
    }
}
