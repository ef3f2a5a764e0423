package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flaskctx.Flask;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** CATALOGUE section 3 (t3_lifecycle.py) through MockMvc, the door Spring users test with. */
@SpringBootTest(classes = LifecycleApp.class, properties = {"flaskctx.app-name=lifecycle",
        "flaskctx.web.exclude-patterns=/excluded/**"})
@AutoConfigureMockMvc
class RequestLifecycleTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    LifecycleApp.Events events;

    @BeforeEach
    void clearEvents() {
        events.drain();
    }

    @AfterEach
    void threadHoldsNoContext() {
        // MockMvc runs the request on the test's own thread
        assertThat(Flask.hasRequestContext()).as("request context left on the thread").isFalse();
        assertThat(Flask.hasAppContext()).as("app context left on the thread").isFalse();
    }

    @Test
    void aNormalRequestRunsTheHooksInFlasksOrder() throws Exception {
        mvc.perform(get("/view")).andExpect(status().isOk()).andExpect(content().string("alice on lifecycle"))
                .andExpect(header().string("X-After", "after_request1"))
                .andExpect(header().string("X-View", "seen"))
                .andExpect(header().string("X-App", "lifecycle"));
        assertThat(events.drain()).containsExactly("before_request1", "before_request2", "view", "after_request2",
                "after_request1", "teardown_request2(null)", "teardown_request1(null)",
                "teardown_appcontext2(null) g.view=seen", "teardown_appcontext1(null)");
    }

    @Test
    void aBeforeHookResultEndsTheRequestAndTheAfterHooksStillRun() throws Exception {
        mvc.perform(get("/view").param("stop1", "")).andExpect(status().isAccepted())
                .andExpect(content().string("stopped"))
                .andExpect(header().string("X-Stopped-By", "before_request1"))
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).containsExactly("before_request1", "after_request2", "after_request1",
                "teardown_request2(null)", "teardown_request1(null)", "teardown_appcontext2(null) g.view=null",
                "teardown_appcontext1(null)");
    }

    @Test
    void aBodyReturnedByALaterBeforeHookIsWrittenLikeAResponseBody() throws Exception {
        mvc.perform(get("/view").param("stop2", "")).andExpect(status().isOk())
                .andExpect(content().string("stopped by before_request2"))
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).startsWith("before_request1", "before_request2", "after_request2");
    }

    @Test
    void anExceptionHandledByAnExceptionHandlerGivesTeardownNull() throws Exception {
        // CATALOGUE 3: with an errorhandler every teardown gets exc=None; the handler's status is used
        mvc.perform(get("/raise")).andExpect(status().isIAmATeapot()).andExpect(content().string("handled view failed"))
                .andExpect(header().string("X-View", "handled"));
        assertThat(events.drain()).containsExactly("before_request1", "before_request2", "view(raises)",
                "errorhandler(view failed) g.view=raised", "after_request2", "after_request1",
                "teardown_request2(null)", "teardown_request1(null)", "teardown_appcontext2(null) g.view=handled",
                "teardown_appcontext1(null)");
    }

    @Test
    void anUnhandledExceptionRunsTheAfterHooksOnA500AndReachesEveryTeardown() {
        // CATALOGUE 3, testing=False (a server's setting): the 500 still runs after_request; teardowns get the error
        assertThatThrownBy(() -> mvc.perform(get("/unhandled"))).isInstanceOf(ServletException.class)
                .hasRootCauseInstanceOf(UnsupportedOperationException.class);
        assertThat(events.drain()).containsExactly("before_request1", "before_request2", "view(raises)",
                "after_request2", "after_request1", "teardown_request2(UnsupportedOperationException:view failed)",
                "teardown_request1(UnsupportedOperationException:view failed)",
                "teardown_appcontext2(UnsupportedOperationException:view failed) g.view=null",
                "teardown_appcontext1(UnsupportedOperationException:view failed)");
    }

    @Test
    void aBeforeHookExceptionHandledByAnExceptionHandlerBehavesLikeFlask() throws Exception {
        // CATALOGUE 3: before_request1 raises with a handler → errorhandler, after hooks, teardowns(None)
        mvc.perform(get("/view").param("fail1", "")).andExpect(status().isIAmATeapot())
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).containsExactly("before_request1", "errorhandler(before1) g.view=null",
                "after_request2", "after_request1", "teardown_request2(null)", "teardown_request1(null)",
                "teardown_appcontext2(null) g.view=handled", "teardown_appcontext1(null)");
    }

    @Test
    void aThrowingTeardownHookLetsEveryOtherRunAndPopsTheContexts() throws Exception {
        // Difference from Flask: Flask skips teardown_request1 and the request fails.
        mvc.perform(get("/view").param("failTeardown", "")).andExpect(status().isOk());
        assertThat(events.drain()).containsExactly("before_request1", "before_request2", "view", "after_request2",
                "after_request1", "teardown_request2(null)", "teardown_request1(null)",
                "teardown_appcontext2(null) g.view=seen", "teardown_appcontext1(null)");
    }

    @Test
    void afterHooksSetHeadersOnAnEmptyResponseEntity() throws Exception {
        mvc.perform(get("/empty")).andExpect(status().isNoContent())
                .andExpect(header().string("X-After", "after_request1"));
    }

    @Test
    void afterHooksSetHeadersWhenTheHandlerWritesTheResponseItself() throws Exception {
        mvc.perform(get("/direct")).andExpect(content().string("written directly"))
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).containsSubsequence("view", "after_request2", "after_request1");
    }

    @Test
    void excludedPathsGetNoContextAndNoHooks() throws Exception {
        mvc.perform(get("/excluded/context")).andExpect(content().string("request context: false"))
                .andExpect(header().doesNotExist("X-After"));
        assertThat(events.drain()).isEmpty();
    }

    @Test
    void aRequestForAnUnknownPathStillRunsTheHooks() throws Exception {
        // CATALOGUE 3: a routing 404 runs both before hooks and the after hooks; teardowns get None
        mvc.perform(get("/no-such-page")).andExpect(status().isNotFound())
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).containsExactly("before_request1", "before_request2", "after_request2",
                "after_request1", "teardown_request2(null)", "teardown_request1(null)",
                "teardown_appcontext2(null) g.view=null", "teardown_appcontext1(null)");
    }
}
