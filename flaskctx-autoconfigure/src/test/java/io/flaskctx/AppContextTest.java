package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CATALOGUE section 1 (t1_app_context.py), and the differences from Flask listed in the README. */
class AppContextTest {

    private final List<String> log = new ArrayList<>();

    @AfterEach
    void threadIsClean() {
        assertThat(CleanThread.wasLeftWithContexts()).as("test left a context pushed").isFalse();
    }

    private FlaskApp app(String name) {
        FlaskApp app = new FlaskApp(name);
        app.teardownAppContext(error -> log.add("teardown " + name + "(" + error + ")"));
        return app;
    }

    @Test
    void withoutAContextEveryAccessorThrowsFlasksMessage() {
        // CATALOGUE 1: current_app / g with no app context raise RuntimeError(MSG_APP)
        assertThat(Flask.hasAppContext()).isFalse();
        assertThatThrownBy(Flask::currentApp).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("Working outside of application context.\n\n")
                .hasMessageContaining("Flask.copyCurrentAppContext().wrap(task)")
                .hasMessageContaining("CopyContextTaskDecorator")
                .hasMessageContaining("try (var ctx = app.appContext().push())");
        assertThatThrownBy(Flask::g).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("Working outside of application context.");
        assertThatThrownBy(() -> G.proxy().get("x")).isInstanceOf(OutsideContextException.class);
        assertThatThrownBy(() -> CurrentApp.proxy().name()).isInstanceOf(OutsideContextException.class);
    }

    @Test
    void proxiesPrintUnboundOutsideAContext() {
        // CATALOGUE 1: repr(current_app) is <LocalProxy unbound>
        assertThat(CurrentApp.proxy()).hasToString("<LocalProxy unbound>");
        assertThat(G.proxy()).hasToString("<LocalProxy unbound>");
    }

    @Test
    void pushMakesTheAppCurrentAndPopRunsTeardownOnceWithNull() {
        // CATALOGUE 1: has_app_context False/True/False; current_app is app; teardown once with exc=None
        FlaskApp app = app("one");
        AppContext ctx = app.appContext();
        assertThat(ctx.push()).isSameAs(ctx);
        assertThat(Flask.hasAppContext()).isTrue();
        assertThat(Flask.currentApp()).isSameAs(app);
        assertThat(CurrentApp.proxy().get()).isSameAs(app);
        assertThat(CurrentApp.proxy().name()).isEqualTo("one");
        assertThat(Flask.g()).isSameAs(ctx.g());
        ctx.pop();
        assertThat(Flask.hasAppContext()).isFalse();
        assertThat(log).containsExactly("teardown one(null)");
    }

    @Test
    void eachCallCreatesANewContextWithItsOwnG() {
        FlaskApp app = app("one");
        AppContext a = app.appContext();
        AppContext b = app.appContext();
        assertThat(a).isNotSameAs(b);
        assertThat(a.g()).isNotSameAs(b.g());
        assertThat(a.toString()).matches("<AppContext of 'one' #[0-9a-f]+>").isNotEqualTo(b.toString());
    }

    @Test
    void nestingTwoAppsRestoresTheOuterAppAndItsG() {
        // CATALOGUE 1: nesting two apps; teardowns run app2 then app1
        FlaskApp app1 = app("app1");
        FlaskApp app2 = app("app2");
        try (var outer = app1.appContext().push()) {
            Flask.g().set("who", "outer");
            try (var inner = app2.appContext().push()) {
                assertThat(Flask.currentApp()).isSameAs(app2);
                assertThat(Flask.g().contains("who")).isFalse();
                assertThat(CurrentApp.proxy().config()).isSameAs(app2.config());
            }
            assertThat(Flask.currentApp()).isSameAs(app1);
            assertThat(Flask.g().get("who")).isEqualTo("outer");
        }
        assertThatThrownBy(Flask::currentApp).isInstanceOf(OutsideContextException.class);
        assertThat(log).containsExactly("teardown app2(null)", "teardown app1(null)");
    }

    @Test
    void nestingTwoContextsOfOneAppGivesTheInnerAFreshG() {
        // CATALOGUE 1: inner.g is not outer.g; outer g untouched
        FlaskApp app = app("one");
        try (var outer = app.appContext().push()) {
            Flask.g().set("x", 1);
            try (var inner = app.appContext().push()) {
                assertThat(Flask.g()).isNotSameAs(outer.g());
                assertThat(Flask.g().contains("x")).isFalse();
                Flask.g().set("x", 2);
            }
            assertThat(Flask.g().get("x")).isEqualTo(1);
        }
    }

    @Test
    void theSameContextPushedTwiceTearsDownOnlyOnItsLastPop() {
        // CATALOGUE 1: 1st pop runs no teardown and keeps g; 2nd pop tears down once
        FlaskApp app = app("one");
        AppContext ctx = app.appContext();
        ctx.push();
        ctx.push();
        Flask.g().set("kept", true);
        ctx.pop();
        assertThat(log).isEmpty();
        assertThat(Flask.g().get("kept")).isEqualTo(true);
        ctx.pop();
        assertThat(log).containsExactly("teardown one(null)");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void poppingAContextThatIsNotPushedThrowsAndRunsNoTeardown() {
        // CATALOGUE 1: a fully popped / never pushed context raises LookupError; teardowns do not run again
        FlaskApp app = app("one");
        AppContext ctx = app.appContext();
        assertThatIllegalStateException().isThrownBy(ctx::pop)
                .withMessageContaining("no app context is pushed on this thread");
        ctx.push();
        ctx.pop();
        assertThatIllegalStateException().isThrownBy(ctx::pop);
        assertThat(log).containsExactly("teardown one(null)");
    }

    @Test
    void wrongOrderPopThrowsNamingBothAndChangesNothing() {
        // Difference from Flask: Flask runs a's teardown and corrupts the stack (CATALOGUE 1 "Wrong pop").
        FlaskApp app = app("one");
        FlaskApp other = app("two");
        AppContext a = app.appContext().push();
        AppContext b = other.appContext().push();
        assertThatIllegalStateException().isThrownBy(a::pop)
                .withMessageContaining("Popped wrong app context")
                .withMessageContaining(b + " is current, not " + a)
                .withMessageContaining("Nothing was popped and no teardown ran");
        assertThat(log).isEmpty();
        assertThat(Flask.currentApp()).isSameAs(other);
        b.pop();
        assertThat(Flask.currentApp()).isSameAs(app);
        a.pop();
        assertThat(log).containsExactly("teardown two(null)", "teardown one(null)");
    }

    @Test
    void wrongOrderPopOfTwoContextsOfOneAppTellsThemApart() {
        FlaskApp app = app("wa");
        AppContext a = app.appContext().push();
        AppContext b = app.appContext().push();
        assertThatIllegalStateException().isThrownBy(a::pop)
                .withMessageMatching("Popped wrong app context: <AppContext of 'wa' (#[0-9a-f]+)> is current, not"
                        + " <AppContext of 'wa' (?!\\1>)#[0-9a-f]+>.*");
        b.pop();
        a.pop();
    }

    @Test
    void aTeardownHookThatNeverPopsWhatItPushedIsPoppedAsALeakAndThisContextStillLeaves() {
        FlaskApp app = app("owner");
        FlaskApp other = app("other");
        app.teardownAppContext(error -> other.appContext().push()); // never popped
        long leaked = ContextStats.leaked(other, ContextType.APP);
        AppContext ctx = app.appContext().push();
        ctx.pop();
        assertThat(Flask.hasAppContext()).isFalse();
        assertThat(ContextStats.leaked(other, ContextType.APP) - leaked).isEqualTo(1);
        assertThat(log).containsExactly("teardown owner(null)", "teardown other(null)");
        assertThatIllegalStateException().isThrownBy(ctx::pop).withMessageContaining("no app context is pushed");
        assertThat(log).hasSize(2);
    }

    @Test
    void inStrictModeALeakingTeardownHookFailsThePopOnlyOnceEverythingIsPopped() {
        FlaskApp app = app("owner");
        app.setStrict(true);
        FlaskApp other = new FlaskApp("other");
        app.teardownAppContext(error -> other.appContext().push()); // never popped
        AppContext ctx = app.appContext().push();
        assertThatThrownBy(ctx::pop).isInstanceOfSatisfying(ContextLeakException.class, leak -> {
            assertThat(leak.leaks()).extracting(StackMark.Leak::type).containsExactly(ContextType.APP);
            assertThat(leak.getMessage()).contains("<AppContext of 'other'").contains("was still pushed after the"
                    + " teardown hooks of <AppContext of 'owner'");
            assertThat(Flask.hasAppContext()).isFalse();
        });
        assertThat(log).containsExactly("teardown owner(null)");
    }

    @Test
    void wrongOrderPopOfAContextNotOnTheStackSaysSo() {
        FlaskApp app = app("one");
        AppContext current = app.appContext().push();
        AppContext stray = app.appContext();
        assertThatIllegalStateException().isThrownBy(stray::pop)
                .withMessageContaining("which is not pushed on this thread");
        current.pop();
    }

    @Test
    void teardownHooksRunInReverseRegistrationOrderAndReceiveTheException() {
        // CATALOGUE 1: teardown_appcontext in reverse registration order; `with` passes the exception
        FlaskApp app = new FlaskApp("one");
        for (String name : List.of("t1", "t2", "t3")) {
            app.teardownAppContext(error -> log.add(name + "(" + (error == null ? null : error.getMessage()) + ")"));
        }
        RuntimeException boom = new IllegalArgumentException("boom-in-with");
        assertThatThrownBy(() -> app.appContext().run(() -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(log).containsExactly("t3(boom-in-with)", "t2(boom-in-with)", "t1(boom-in-with)");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void runAndCallPassNullOnNormalExitAndReturnTheResult() throws Exception {
        FlaskApp app = app("one");
        app.appContext().run(() -> log.add("body sees " + Flask.currentApp().name()));
        String result = app.appContext().call(() -> Flask.currentApp().name());
        assertThat(result).isEqualTo("one");
        assertThat(log).containsExactly("body sees one", "teardown one(null)", "teardown one(null)");
    }

    @Test
    void callPassesCheckedExceptionsToTeardownAndRethrowsThem() {
        FlaskApp app = app("one");
        Exception checked = new java.io.IOException("disk");
        assertThatThrownBy(() -> app.appContext().call(() -> {
            throw checked;
        })).isSameAs(checked);
        assertThat(log).containsExactly("teardown one(java.io.IOException: disk)");
    }

    @Test
    void popWithAnErrorPassesItToTheHooks() {
        FlaskApp app = app("one");
        AppContext ctx = app.appContext().push();
        ctx.pop(new IllegalStateException("handled-elsewhere"));
        assertThat(log).containsExactly("teardown one(java.lang.IllegalStateException: handled-elsewhere)");
    }

    @Test
    void aThrowingTeardownHookNeverSkipsTheOthers() {
        // Difference from Flask: Flask skips the remaining hooks (CATALOGUE 1 "If one of them raises").
        FlaskApp app = new FlaskApp("one");
        app.teardownAppContext(error -> log.add("t1"));
        app.teardownAppContext(error -> {
            log.add("t2");
            throw new IllegalStateException("t2 failed");
        });
        app.teardownAppContext(error -> {
            log.add("t3");
            throw new IllegalArgumentException("t3 failed");
        });
        AppContext ctx = app.appContext().push();
        assertThatThrownBy(ctx::pop).isInstanceOf(IllegalArgumentException.class).hasMessage("t3 failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("t2 failed"));
        assertThat(log).containsExactly("t3", "t2", "t1");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void aTeardownFailureAfterAFailingBlockIsAddedAsSuppressed() {
        FlaskApp app = new FlaskApp("one");
        app.teardownAppContext(error -> {
            throw new IllegalStateException("teardown failed");
        });
        RuntimeException boom = new RuntimeException("block failed");
        assertThatThrownBy(() -> app.appContext().run(() -> {
            throw boom;
        })).isSameAs(boom).satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("teardown failed"));
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void teardownHooksRunWhileTheContextIsStillCurrent() {
        // CATALOGUE 1 signal order: teardown_appcontext functions run with the context still current
        FlaskApp app = new FlaskApp("one");
        AtomicReference<Object> seen = new AtomicReference<>();
        app.teardownAppContext(error -> seen.set(Flask.g().get("db")));
        try (var ctx = app.appContext().push()) {
            Flask.g().set("db", "connection");
        }
        assertThat(seen).hasValue("connection");
    }

    @Test
    void theDepthGuardStopsRunawayPushesAndExplainsWhy() {
        // Difference from Flask: Flask has no limit.
        FlaskApp app = new FlaskApp("one");
        app.setMaxContextDepth(3);
        List<AppContext> pushed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pushed.add(app.appContext().push());
        }
        assertThatIllegalStateException().isThrownBy(() -> app.appContext().push())
                .withMessageContaining("already holds 3 contexts")
                .withMessageContaining("pushed without being popped");
        assertThat(Globals.APP.depth()).isEqualTo(3);
        for (int i = pushed.size() - 1; i >= 0; i--) {
            pushed.get(i).pop();
        }
    }

    @Test
    void theDefaultDepthLimitIs64() {
        FlaskApp app = new FlaskApp("one");
        assertThat(app.maxContextDepth()).isEqualTo(64);
        List<AppContext> pushed = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pushed.add(app.appContext().push());
        }
        assertThatIllegalStateException().isThrownBy(() -> app.appContext().push());
        for (int i = pushed.size() - 1; i >= 0; i--) {
            pushed.get(i).pop();
        }
    }

    @Test
    void aThreadStartedInsideAContextSeesNone() throws Exception {
        // CATALOGUE 1: a threading.Thread started inside an app context sees no context
        FlaskApp app = app("one");
        AtomicReference<String> seen = new AtomicReference<>();
        try (var ctx = app.appContext().push()) {
            Thread thread = new Thread(() -> {
                try {
                    seen.set("hasAppContext=" + Flask.hasAppContext() + " " + Flask.currentApp());
                } catch (OutsideContextException e) {
                    seen.set("hasAppContext=" + Flask.hasAppContext() + " " + e.getMessage().lines().findFirst().get());
                }
            });
            thread.start();
            thread.join();
        }
        assertThat(seen).hasValue("hasAppContext=false Working outside of application context.");
    }

    @Test
    void aContextPushedOnOneThreadCannotBePushedOnAnotherAtTheSameTime() throws Exception {
        FlaskApp app = app("one");
        Throwable failure;
        try (var ctx = app.appContext().push()) {
            failure = AnotherThread.thrownBy(ctx::push);
        }
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already pushed on thread");
    }

    @Test
    void aPopFromAThreadThatDidNotPushIsRefusedAndTheOwnersStackIsUntouched() throws Exception {
        FlaskApp app = app("one");
        Throwable failure;
        try (var ctx = app.appContext().push()) {
            Flask.g().set("user", "alice");
            failure = AnotherThread.thrownBy(ctx::pop);
            // the refused pop changed nothing here: the context is still current, with its g, and no teardown ran
            assertThat(Flask.currentApp()).isSameAs(app);
            assertThat(Flask.g().get("user")).isEqualTo("alice");
            assertThat(log).isEmpty();
        }
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no app context is pushed on this thread");
        assertThat(log).containsExactly("teardown one(null)");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void aContextPoppedOnOneThreadCanBePushedOnAnotherAndIsCurrentOnlyThere() throws Exception {
        FlaskApp app = app("one");
        AppContext ctx = app.appContext();
        ctx.push();
        ctx.pop();
        AtomicReference<Object> seen = new AtomicReference<>();
        CountDownLatch pushed = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                ctx.push();
                try {
                    seen.set(Flask.currentApp());
                    pushed.countDown();
                    checked.await(10, TimeUnit.SECONDS);
                } finally {
                    ctx.pop();
                }
            } catch (Throwable e) {
                seen.set(e);
                pushed.countDown();
            }
        });
        thread.start();
        boolean onMain;
        try {
            assertThat(pushed.await(10, TimeUnit.SECONDS)).isTrue();
            // pushed on the other thread, not here, where it was pushed before
            onMain = Flask.hasAppContext();
        } finally {
            checked.countDown();
            thread.join();
        }
        assertThat(seen).hasValue(app);
        assertThat(onMain).isFalse();
        assertThat(log).containsExactly("teardown one(null)", "teardown one(null)");
        // and back here again
        try (var again = ctx.push()) {
            assertThat(Flask.currentApp()).isSameAs(app);
        }
    }
}
