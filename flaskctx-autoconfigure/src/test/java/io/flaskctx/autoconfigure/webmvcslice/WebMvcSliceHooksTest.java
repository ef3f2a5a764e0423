package io.flaskctx.autoconfigure.webmvcslice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.flaskctx.AfterRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A {@code @WebMvcTest} runs the application's hooks declared on plain {@code @Component}s, as a real server does,
 * and stays a slice: other components, and components nested in tests, stay out.
 */
@WebMvcTest
class WebMvcSliceHooksTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Test
    void hooksOnPlainComponentsRunInTheSlice() throws Exception {
        mvc.perform(get("/user")).andExpect(content().string("from-before-hook"))
                .andExpect(header().string("X-Hooked", "yes"))
                .andExpect(header().doesNotExist("X-Test-Fixture"));
    }

    @Test
    void theSliceStaysASlice() {
        assertThat(context.getBeanNamesForType(SliceHooks.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(SliceService.class)).isEmpty();
        assertThat(context.getBeanNamesForType(NestedFixture.class)).isEmpty();
    }

    /** A test's own nested component: Boot's test filter keeps it out of scanning, and so does flaskctx. */
    @Component
    static class NestedFixture {
        @AfterRequest
        void stamp(HttpServletResponse response) {
            response.setHeader("X-Test-Fixture", "leaked in");
        }
    }
}
