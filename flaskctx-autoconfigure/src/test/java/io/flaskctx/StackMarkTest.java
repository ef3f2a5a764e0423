package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class StackMarkTest {

    private final List<String> log = new ArrayList<>();
    private boolean capture;

    @AfterEach
    void clean() {
        assertThat(CleanThread.wasLeftWithContexts()).isFalse();
    }

    private FlaskApp app(String name) {
        FlaskApp app = new FlaskApp(name);
        app.setCapturePushSites(capture);
        app.teardownAppContext(error -> log.add("teardown " + name));
        return app;
    }

    @Test
    void aMarkSeesNothingWhenEverythingPushedAfterItWasPopped() {
        StackMark mark = StackMark.here();
        try (var ctx = app("a").appContext().push()) {
            assertThat(mark.hasLeaks()).isTrue();
        }
        assertThat(mark.hasLeaks()).isFalse();
        assertThat(mark.popLeaks("when the test ended")).isEmpty();
    }

    @Test
    void popLeaksPopsNewestFirstRunsTeardownAndCountsThem() {
        FlaskApp outer = app("outer");
        FlaskApp first = app("first");
        FlaskApp second = app("second");
        try (var kept = outer.appContext().push()) {
            StackMark mark = StackMark.here();
            first.appContext().push();
            second.appContext().push();
            List<StackMark.Leak> leaks = mark.popLeaks("when the test ended");
            assertThat(leaks).extracting(StackMark.Leak::context)
                    .satisfiesExactly(c -> assertThat(c).startsWith("<AppContext of 'second' #"),
                            c -> assertThat(c).startsWith("<AppContext of 'first' #"));
            assertThat(log).containsExactly("teardown second", "teardown first");
            assertThat(Flask.currentApp()).isSameAs(outer);
            // per app: the JVM-wide total loses the figures of apps collected meanwhile
            assertThat(ContextStats.leaked(first, ContextType.APP) + ContextStats.leaked(second, ContextType.APP))
                    .isEqualTo(2);
        }
    }

    @Test
    void aLeakedRequestContextIsPoppedWithItsImplicitAppContext() {
        StackMark mark = StackMark.empty();
        FlaskApp app = app("req");
        FlaskApp inner = app("inner");
        app.requestContext(new MockHttpServletRequest("GET", "/leaky")).push();
        inner.appContext().push();
        List<StackMark.Leak> leaks = mark.popLeaks("when the test ended");
        assertThat(leaks).extracting(StackMark.Leak::type)
                .containsExactly(ContextType.APP, ContextType.REQUEST, ContextType.APP);
        assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
        assertThat(ContextStats.leaked(app, ContextType.REQUEST)).isEqualTo(1);
        assertThat(ContextStats.leaked(app, ContextType.APP) + ContextStats.leaked(inner, ContextType.APP))
                .isEqualTo(2);
    }

    @Test
    void leaksNameThePushSiteWhenCaptured() {
        capture = true;
        StackMark mark = StackMark.here();
        app("sited").appContext().push();
        List<StackMark.Leak> leaks = mark.popLeaks("when the test ended");
        assertThat(leaks).singleElement().satisfies(leak -> {
            assertThat(leak.pushedAt()).startsWith(StackMarkTest.class.getName() + ".leaksNameThePushSiteWhenCaptured(")
                    .contains("StackMarkTest.java:");
            assertThat(leak.pushSite()).isNotNull();
            assertThat(leak.toString()).contains("pushed at " + leak.pushedAt());
        });
    }

    @Test
    void pushSitesAreCapturedOnlyForTheAppThatAsks() {
        FlaskApp quiet = app("quiet");
        capture = true;
        FlaskApp sited = app("sited");
        StackMark mark = StackMark.here();
        quiet.appContext().push();
        sited.appContext().push();
        assertThat(mark.popLeaks("when the test ended")).extracting(StackMark.Leak::pushedAt)
                .satisfiesExactly(site -> assertThat(site).contains("StackMarkTest.java:"),
                        site -> assertThat(site).isNull());
    }

    @Test
    void eachAppReportsALeakingLineOnceItself() {
        StackMark.Leak leak = new StackMark.Leak(ContextType.APP, "<AppContext of 'x'>",
                "com.shop.Job.run(Job.java:42)", null);
        FlaskApp first = app("first");
        FlaskApp second = app("second");
        assertThat(first.leakReport().report(leak, "when the job ended")).isTrue();
        assertThat(first.leakReport().report(leak, "when the job ended")).isFalse();
        // another app (of another application context, or after a restart) is told again
        assertThat(second.leakReport().report(leak, "when the job ended")).isTrue();
    }

    @Test
    void withoutCaptureALeakSaysHowToFindItsPushSite() {
        StackMark mark = StackMark.here();
        app("unsited").appContext().push();
        assertThat(mark.popLeaks("when the test ended")).singleElement().satisfies(leak -> {
            assertThat(leak.pushedAt()).isNull();
            assertThat(leak.toString()).contains("push site not captured");
        });
    }

    @Test
    void wrongOrderPopNamesWhereBothContextsWerePushedWhenCaptured() {
        capture = true;
        AppContext a = app("a").appContext().push();
        AppContext b = app("b").appContext().push();
        assertThatIllegalStateException().isThrownBy(a::pop)
                .withMessageContaining(b + " (pushed at " + StackMarkTest.class.getName())
                .withMessageContaining(a + " (pushed at " + StackMarkTest.class.getName());
        b.pop();
        a.pop();
    }

    @Test
    void theDepthGuardListsThePushSitesThatFilledTheStack() {
        capture = true;
        FlaskApp app = app("deep");
        app.setMaxContextDepth(3);
        StackMark mark = StackMark.here();
        for (int i = 0; i < 3; i++) {
            app.appContext().push();
        }
        assertThatIllegalStateException().isThrownBy(() -> app.appContext().push())
                .withMessageContaining("They were pushed at:")
                .withMessageContaining("3 x " + StackMarkTest.class.getName() + ".theDepthGuardListsThePushSites");
        mark.popLeaks("when the test ended");
    }

    @Test
    void theDepthGuardSaysHowToCapturePushSitesWhenTheyAreOff() {
        FlaskApp app = app("deep");
        app.setMaxContextDepth(1);
        StackMark mark = StackMark.here();
        app.appContext().push();
        assertThatIllegalStateException().isThrownBy(() -> app.appContext().push())
                .withMessageContaining("flaskctx.debug.capture-push-sites=true");
        mark.popLeaks("when the test ended");
    }
}
