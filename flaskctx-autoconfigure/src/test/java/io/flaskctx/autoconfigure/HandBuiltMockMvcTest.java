package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.flaskctx.Flask;
import io.flaskctx.web.FlaskRequestFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** The README's Testing section: a MockMvc built by hand works with the filter added, and says so without it. */
@SpringBootTest(classes = LifecycleApp.class, properties = "flaskctx.app-name=lifecycle")
class HandBuiltMockMvcTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    LifecycleApp.Events events;

    @AfterEach
    void threadHoldsNoContext() {
        events.drain();
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void withTheFilterAddedRequestsGetTheirContextsAndHooks() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean(FlaskRequestFilter.class)).build();
        mvc.perform(get("/view")).andExpect(content().string("alice on lifecycle"))
                .andExpect(header().string("X-After", "after_request1"));
        assertThat(events.drain()).startsWith("before_request1", "before_request2", "view");
    }

    @Test
    void withoutItARequestFailsNamingTheFilterAndTheFix() {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
        assertThatThrownBy(() -> mvc.perform(get("/view"))).rootCause()
                .hasMessageContaining("FlaskRequestFilter did not run").hasMessageContaining("addFilters");
        assertThat(events.drain()).isEmpty();
    }
}
