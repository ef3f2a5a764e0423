package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.CurrentApp;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Two apps in one process: routing by mount, per-app config and hooks, injection by name. */
@SpringBootTest(classes = MultiAppTest.App.class, properties = {"flaskctx.app-name=shop",
        "flaskctx.config.FLAVOUR=plain", "flaskctx.apps.admin.mount=/admin",
        "flaskctx.apps.admin.config.FLAVOUR=admin-flavour", "flaskctx.apps.admin.config.DEBUG=true",
        "flaskctx.config.SECRET_KEY=one-key-for-both-apps-0123456789",
        "flaskctx.apps.admin.config.SECRET_KEY=one-key-for-both-apps-0123456789",
        "flaskctx.apps.admin.config.SESSION_COOKIE_NAME=admin_session",
        "flaskctx.apps.admin.config.SESSION_COOKIE_PATH=/admin",
        "management.endpoints.web.exposure.include=flaskctx"})
@AutoConfigureMockMvc
class MultiAppTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    FlaskApp main;

    @Autowired
    @Qualifier("admin")
    FlaskApp admin;

    @Autowired
    FlaskApps apps;

    @Autowired
    MeterRegistry registry;

    @Test
    void eachPathRunsWithItsAppAndConfig() throws Exception {
        mvc.perform(get("/hello")).andExpect(content().string("shop plain"));
        mvc.perform(get("/admin/hello")).andExpect(content().string("admin admin-flavour"));
        mvc.perform(get("/administrator")).andExpect(content().string("shop plain"));
    }

    @Test
    void hooksBelongToTheirAppUnlessTheySayEveryApp() throws Exception {
        mvc.perform(get("/hello")).andExpect(header().string("X-Main-Hook", "ran"))
                .andExpect(header().doesNotExist("X-Admin-Hook")).andExpect(header().string("X-Every-App", "shop"));
        mvc.perform(get("/admin/hello")).andExpect(header().doesNotExist("X-Main-Hook"))
                .andExpect(header().string("X-Admin-Hook", "ran")).andExpect(header().string("X-Every-App", "admin"));
    }

    @Test
    void eachAppWritesItsOwnSessionCookieWhenItsConfigSaysSo() throws Exception {
        // Flask's default gives both apps 'session; Path=/' (CATALOGUE 5): they would overwrite each other
        mvc.perform(get("/login")).andExpect(header().string("Set-Cookie",
                org.hamcrest.Matchers.startsWith("session=")));
        mvc.perform(get("/admin/login")).andExpect(header().string("Set-Cookie",
                org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.startsWith("admin_session="),
                        org.hamcrest.Matchers.containsString("Path=/admin"))));
    }

    @Test
    void appsAreInjectableByTypeAndByName() {
        assertThat(main.name()).isEqualTo("shop");
        assertThat(admin.name()).isEqualTo("admin");
        assertThat(apps.get("admin")).isSameAs(admin);
        assertThat(apps.main()).isSameAs(main);
        assertThat(admin.config().get("DEBUG", Boolean.class)).isTrue();
        assertThat(main.config().get("DEBUG", Boolean.class)).isFalse();
    }

    @Test
    void offlineCodeNestsContextsOfBothApps() {
        try (var a = main.appContext().push(); var b = admin.appContext().push()) {
            assertThat(Flask.currentApp()).isSameAs(admin);
        }
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void theEndpointListsEveryAppWithItsMountAndMetersCarryTheApp() throws Exception {
        mvc.perform(get("/actuator/flaskctx")).andExpect(jsonPath("$.apps[0].name").value("shop"))
                .andExpect(jsonPath("$.apps[0].mount").doesNotExist())
                .andExpect(jsonPath("$.apps[1].name").value("admin"))
                .andExpect(jsonPath("$.apps[1].mount").value("/admin"))
                .andExpect(jsonPath("$.apps[1].hooks.before_request[0]")
                        .value(App.Hooks.class.getName() + ".adminOnly"));
        double before = registry.get("flaskctx.contexts.pushed").tags("app", "admin", "type", "request")
                .functionCounter().count();
        mvc.perform(get("/admin/hello"));
        assertThat(registry.get("flaskctx.contexts.pushed").tags("app", "admin", "type", "request")
                .functionCounter().count() - before).isEqualTo(1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Views.class, App.Hooks.class})
    static class App {

        static final class Hooks {
            @BeforeRequest
            void mainOnly() {
                Flask.afterThisRequest(response -> response.setHeader("X-Main-Hook", "ran"));
            }

            @BeforeRequest(app = "admin")
            void adminOnly() {
                Flask.afterThisRequest(response -> response.setHeader("X-Admin-Hook", "ran"));
            }

            @AfterRequest(app = "*")
            void everyApp(HttpServletResponse response, FlaskApp app) {
                response.setHeader("X-Every-App", app.name());
            }
        }

        @RestController
        static final class Views {
            private final CurrentApp currentApp;

            Views(CurrentApp currentApp) {
                this.currentApp = currentApp;
            }

            @GetMapping({"/login", "/admin/login"})
            String login() {
                Flask.session().put("user", "alice");
                return "ok";
            }

            @GetMapping({"/hello", "/admin/hello", "/administrator"})
            String hello() {
                return currentApp.name() + " " + currentApp.config().get("FLAVOUR");
            }
        }
    }
}
