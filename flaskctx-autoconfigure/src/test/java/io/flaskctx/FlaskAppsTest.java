package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** CATALOGUE 5: DispatcherMiddleware(main, {'/admin': admin}) routing. */
class FlaskAppsTest {

    private final FlaskApp main = new FlaskApp("main_app");
    private final FlaskApp admin = new FlaskApp("admin_app");
    private final FlaskApp reports = new FlaskApp("reports");
    private final FlaskApps apps = FlaskApps.of(main).mount("/admin", admin).mount("/admin/reports", reports);

    @Test
    void aMountMatchesWholeSegmentsCaseSensitively() {
        assertThat(apps.forPath("/")).isSameAs(main);
        assertThat(apps.forPath("/foo/bar")).isSameAs(main);
        assertThat(apps.forPath("/admin")).isSameAs(admin);
        assertThat(apps.forPath("/admin/")).isSameAs(admin);
        assertThat(apps.forPath("/admin/users/1")).isSameAs(admin);
        assertThat(apps.forPath("/administrator")).isSameAs(main);
        assertThat(apps.forPath("/ADMIN/x")).isSameAs(main);
    }

    @Test
    void theLongestMountWins() {
        assertThat(apps.forPath("/admin/reports")).isSameAs(reports);
        assertThat(apps.forPath("/admin/reports/2024")).isSameAs(reports);
        assertThat(apps.forPath("/admin/reportsx")).isSameAs(admin);
    }

    @Test
    void appsAreFoundByNameWithTheirMounts() {
        assertThat(apps.main()).isSameAs(main);
        assertThat(apps.get("admin_app")).isSameAs(admin);
        assertThat(apps.all()).containsExactly(main, admin, reports);
        assertThat(apps.mountOf(admin)).isEqualTo("/admin");
        assertThat(apps.mountOf(main)).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> apps.get("nope"))
                .withMessageContaining("No app named 'nope'").withMessageContaining("main_app");
    }

    @Test
    void malformedOrTakenMountsAreRefused() {
        assertThat(FlaskApps.checkMount("admin")).contains("does not start with '/'");
        assertThat(FlaskApps.checkMount("/admin/")).contains("ends with '/'");
        assertThat(FlaskApps.checkMount("/")).contains("root");
        assertThat(FlaskApps.checkMount("/a/**")).contains("not a plain path");
        assertThat(FlaskApps.checkMount("/admin")).isNull();
        assertThatIllegalArgumentException().isThrownBy(() -> apps.mount("/admin", new FlaskApp("other")))
                .withMessageContaining("already belongs to app 'admin_app'");
        assertThatIllegalArgumentException().isThrownBy(() -> apps.mount("/x", new FlaskApp("main_app")))
                .withMessageContaining("already registered");
    }

    @Test
    void nestedContextsOfTwoAppsRestoreTheOuter() {
        // CATALOGUE 5 / seed 001 section 5: with app1.app_context(): with app2.app_context(): ...
        try (var a = main.appContext().push(); var b = admin.appContext().push()) {
            assertThat(Flask.currentApp()).isSameAs(admin);
            b.pop();
            assertThat(Flask.currentApp()).isSameAs(main);
            b.push();
        }
        assertThat(Flask.hasAppContext()).isFalse();
    }
}
