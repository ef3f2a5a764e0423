package io.flaskctx.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.flaskctx.AppContext;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs small test classes through JUnit itself and looks at what passed and what failed, and why. */
class FlaskAppContextExtensionTest {

    static final List<String> seen = new CopyOnWriteArrayList<>();

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    @Test
    void aCleanTestRunsInsideAnAppContextAndPasses() {
        seen.clear();
        Events events = run(CleanCase.class);
        events.assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        assertThat(seen).containsExactlyInAnyOrder("named: named-app", "field: from-field");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void aTestThatLeavesAContextPushedFailsNamingThePushSite() {
        Events events = run(LeakingCase.class);
        events.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = events.failed().list().get(0).getRequiredPayload(
                org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("The test left 1 context(s) pushed")
                .hasMessageContaining("<AppContext of 'forgotten' #")
                .hasMessageContaining("> pushed at " + LeakingCase.class.getName()
                        + ".leaves(FlaskAppContextExtensionTest.java:");
        assertThat(Flask.hasAppContext()).as("the leaked context was popped").isFalse();
    }

    @FlaskAppContext("named-app")
    static class CleanCase {
        @Test
        void seesTheNamedApp(AppContext ctx, FlaskApp app) {
            assertThat(Flask.currentApp()).isSameAs(app);
            assertThat(Flask.g()).isSameAs(ctx.g());
            seen.add("named: " + Flask.currentApp().name());
        }

        @org.junit.jupiter.api.Nested
        @FlaskAppContext
        class WithField {
            final FlaskApp mine = new FlaskApp("from-field");

            @Test
            void seesTheFieldsApp() {
                seen.add("field: " + Flask.currentApp().name());
            }
        }
    }

    @FlaskAppContext("forgotten")
    static class LeakingCase {
        @Test
        void leaves(FlaskApp app) {
            app.appContext().push();
        }
    }
}
