package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flaskctx.Flask;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest(classes = ObservabilityApp.class, properties = {"flaskctx.app-name=observed",
        "flaskctx.debug.capture-push-sites=true", "flaskctx.config.SECRET_KEY=observed-secret-key-0123456789",
        "flaskctx.config.MAIL_PASSWORD=hunter2", "flaskctx.config.MAIL_SERVER=smtp.example.org",
        "management.endpoints.web.exposure.include=flaskctx,metrics"})
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry registry;

    @AfterEach
    void threadIsClean() {
        assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
    }

    private double counter(String name, String type) {
        return registry.get(name).tags("app", "observed", "type", type).functionCounter().count();
    }

    @Test
    void aLeakedContextIsPoppedCountedAndLoggedWithItsPushSite(CapturedOutput output) throws Exception {
        double before = counter("flaskctx.contexts.leaked", "app");
        mvc.perform(get("/leak-reported")).andExpect(status().isOk()).andExpect(content().string("leaked"));
        assertThat(counter("flaskctx.contexts.leaked", "app") - before).isEqualTo(1);
        assertThat(output).containsPattern("flaskctx: <AppContext of 'observed' #[0-9a-f]+> was still pushed when GET"
                + " /leak-reported ended")
                .contains("It was pushed at " + ObservabilityApp.Views.class.getName()
                        + ".leakReported(ObservabilityApp.java:");
        mvc.perform(get("/ok")).andExpect(content().string("ok"));
        assertThat(counter("flaskctx.contexts.leaked", "app") - before).isEqualTo(1);
    }

    @Test
    void theSameLeakingLineIsLoggedOnce(CapturedOutput output) throws Exception {
        mvc.perform(get("/leak"));
        mvc.perform(get("/leak"));
        mvc.perform(get("/leak"));
        int lines = output.toString().split("was still pushed when GET /leak ended", -1).length - 1;
        assertThat(lines).isLessThanOrEqualTo(1);
    }

    @Test
    void theMetersCountPushesDepthAndGoBackToZero() throws Exception {
        double pushed = counter("flaskctx.contexts.pushed", "request");
        mvc.perform(get("/nested")).andExpect(content().string("nested"));
        mvc.perform(get("/ok"));
        assertThat(counter("flaskctx.contexts.pushed", "request") - pushed).isEqualTo(2);
        assertThat(registry.get("flaskctx.contexts.active").tag("type", "app").gauge().value()).isZero();
        assertThat(registry.get("flaskctx.contexts.active").tag("type", "request").gauge().value()).isZero();
        // the request's implicit app context plus the two nested ones
        assertThat(registry.get("flaskctx.stack.depth").tag("type", "app").meter().measure())
                .filteredOn(m -> m.getStatistic() == Statistic.MAX).singleElement()
                .satisfies(m -> assertThat(m.getValue()).isGreaterThanOrEqualTo(3));
        assertThat(registry.get("flaskctx.teardown.errors").functionCounter().count()).isGreaterThanOrEqualTo(0);
    }

    @Autowired
    ObservabilityApp.Jobs jobs;

    private double pushedFrom(String origin) {
        return registry.get("flaskctx.contexts.pushed").tags("app", "observed", "type", "app", "origin", origin)
                .functionCounter().count();
    }

    @Test
    void appContextsAreCountedByWhereTheyCameFrom() throws Exception {
        double method = pushedFrom("method");
        double request = pushedFrom("request");
        double manual = pushedFrom("manual");
        assertThat(jobs.digest()).isEqualTo("digest for observed");
        mvc.perform(get("/ok")).andExpect(content().string("ok"));
        assertThat(pushedFrom("method") - method).isEqualTo(1);
        assertThat(pushedFrom("request") - request).isEqualTo(1);
        assertThat(pushedFrom("manual") - manual).isZero();
        assertThat(registry.get("flaskctx.contexts.pushed").tags("app", "observed", "type", "request")
                .functionCounter().getId().getTag("origin")).isEqualTo("request");
    }

    @Test
    void theEndpointListsTheMethodsThatRunInAppContextsBeyondRequests() throws Exception {
        jobs.digest();
        mvc.perform(get("/actuator/flaskctx")).andExpect(status().isOk())
                .andExpect(jsonPath("$.wrappedMethods[?(@.method == '" + ObservabilityApp.Jobs.class.getName()
                        + ".digest')].origin").value(Matchers.contains("method")))
                .andExpect(jsonPath("$.wrappedMethods[?(@.method == '" + ObservabilityApp.Jobs.class.getName()
                        + ".digest')].app").value(Matchers.contains("observed")))
                .andExpect(jsonPath("$.contexts.app.pushedByOrigin.method").value(Matchers.greaterThanOrEqualTo(1)));
    }

    @Test
    void theMetersAreServedByTheMetricsEndpoint() throws Exception {
        mvc.perform(get("/actuator/metrics/flaskctx.contexts.pushed").param("tag", "type:request"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("flaskctx.contexts.pushed"));
    }

    @Test
    void theEndpointShowsAppsHooksAndCountsAndMasksSecrets() throws Exception {
        mvc.perform(get("/actuator/flaskctx")).andExpect(status().isOk())
                .andExpect(jsonPath("$.apps[0].name").value("observed"))
                .andExpect(jsonPath("$.apps[0].config.SECRET_KEY").value("******"))
                .andExpect(jsonPath("$.apps[0].config.MAIL_PASSWORD").value("******"))
                .andExpect(jsonPath("$.apps[0].config.MAIL_SERVER").value("******"))
                .andExpect(jsonPath("$.apps[0].config.DEBUG").value(false))
                .andExpect(jsonPath("$.apps[0].config.SESSION_COOKIE_NAME").value("session"))
                .andExpect(jsonPath("$.apps[0].hooks.before_request[0]")
                        .value(ObservabilityApp.Hooks.class.getName() + ".loadUser"))
                .andExpect(jsonPath("$.apps[0].hooks.teardown_appcontext[0]")
                        .value(ObservabilityApp.Hooks.class.getName() + ".closeDb"))
                .andExpect(jsonPath("$.contexts.app.active").value(Matchers.greaterThanOrEqualTo(0)))
                .andExpect(jsonPath("$.contexts.request.leaked").isNumber())
                .andExpect(jsonPath("$.teardownErrors").isNumber());
    }
}
