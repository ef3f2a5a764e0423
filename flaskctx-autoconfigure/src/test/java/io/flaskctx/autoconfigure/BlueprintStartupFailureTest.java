package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.ContextProcessor;
import io.flaskctx.TeardownRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Blueprint misconfigurations stop start-up with a report that names the blueprint and the fix. */
class BlueprintStartupFailureTest {

    private final WebApplicationContextRunner runner = StartupFailures.WEB;

    private static FailureAnalysis analysis(WebApplicationContextRunner configured) {
        return StartupFailures.analysis(configured);
    }

    @Test
    void aHookNamingAnUnknownBlueprint() {
        FailureAnalysis analysis = analysis(runner.withBean(Admin.class).withBean(UnknownBlueprintHook.class));
        assertThat(analysis.getDescription()).contains("UnknownBlueprintHook.before")
                .contains("belongs to blueprint 'nope'").contains("[admin]");
        assertThat(analysis.getAction()).contains("@Blueprint(\"nope\")");
    }

    @Test
    void aDottedHookBlueprintThatIsNotTheFullName() {
        FailureAnalysis analysis = analysis(runner.withBean(Admin.class).withBean(Users.class)
                .withBean(WrongPathHook.class));
        assertThat(analysis.getDescription()).contains("belongs to blueprint 'other.users'")
                .contains("[admin, admin.users]");
    }

    @Test
    void blueprintsNestedInACycle() {
        FailureAnalysis analysis = analysis(runner.withBean(CycleA.class).withBean(CycleB.class));
        assertThat(analysis.getDescription()).contains("The blueprints nest in a cycle")
                .contains("a is nested in b is nested in a");
        assertThat(analysis.getAction()).contains("Remove parent = \"...\"");
    }

    @Test
    void aBlueprintDeclaredTwiceWithDifferentParents() {
        FailureAnalysis analysis = analysis(runner.withBean(Admin.class).withBean(Users.class)
                .withBean(UsersAtTheTop.class));
        assertThat(analysis.getDescription()).contains("Blueprint 'users' is declared twice with different parents");
        assertThat(analysis.getAction()).contains("same parent");
    }

    @Test
    void aParentNoBeanDeclares() {
        FailureAnalysis analysis = analysis(runner.withBean(Users.class));
        assertThat(analysis.getDescription()).contains("is nested in 'admin', but no bean declares that blueprint");
    }

    @Test
    void aDottedBlueprintName() {
        FailureAnalysis analysis = analysis(runner.withBean(Dotted.class));
        assertThat(analysis.getDescription()).contains("@Blueprint(\"admin.users\")").contains("not a valid");
        assertThat(analysis.getAction()).contains("parent = ");
    }

    @Test
    void aHookThatIsBothForABlueprintAndAppWide() {
        FailureAnalysis analysis = analysis(runner.withBean(Admin.class).withBean(Contradiction.class));
        assertThat(analysis.getDescription()).contains("both blueprint = \"admin\" and appRequest = true");
    }

    @Test
    void aContextProcessorThatReturnsNoMap() {
        FailureAnalysis analysis = analysis(runner.withBean(NotAMapProcessor.class));
        assertThat(analysis.getDescription()).contains("@ContextProcessor method").contains("returns String");
        assertThat(analysis.getAction()).contains("return a Map<String, ?>");
    }

    @Test
    void aContextProcessorOfAnUnknownBlueprint() {
        FailureAnalysis analysis = analysis(runner.withBean(UnknownBlueprintProcessor.class));
        assertThat(analysis.getDescription()).contains("@ContextProcessor method")
                .contains("belongs to blueprint 'shop'");
    }

    @Test
    void hooksOfAKnownBlueprintStartFine() {
        runner.withBean(Admin.class).withBean(Users.class).withBean(KnownHooks.class)
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Blueprint("admin")
    static class Admin {
    }

    @Blueprint(value = "users", parent = "admin")
    static class Users {
    }

    @Blueprint("users")
    static class UsersAtTheTop {
    }

    @Blueprint(value = "a", parent = "b")
    static class CycleA {
    }

    @Blueprint(value = "b", parent = "a")
    static class CycleB {
    }

    @Blueprint("admin.users")
    static class Dotted {
    }

    static class UnknownBlueprintHook {
        @BeforeRequest(blueprint = "nope")
        void before() {
        }
    }

    static class WrongPathHook {
        @AfterRequest(blueprint = "other.users")
        void after() {
        }
    }

    static class Contradiction {
        @TeardownRequest(blueprint = "admin", appRequest = true)
        void teardown() {
        }
    }

    static class NotAMapProcessor {
        @ContextProcessor
        String variables() {
            return "x";
        }
    }

    static class UnknownBlueprintProcessor {
        @ContextProcessor(blueprint = "shop")
        java.util.Map<String, Object> variables() {
            return java.util.Map.of();
        }
    }

    static class KnownHooks {
        @BeforeRequest(blueprint = "admin.users")
        void before() {
        }

        @TeardownRequest(blueprint = "admin")
        void teardown() {
        }
    }
}
