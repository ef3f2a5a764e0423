package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import io.flaskctx.Flask;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** flaskctx.strict=true: a request that leaks a context fails, after everything was popped. */
@SpringBootTest(classes = ObservabilityApp.class, properties = {"flaskctx.strict=true", "flaskctx.app-name=leaky",
        "flaskctx.debug.capture-push-sites=true"})
@AutoConfigureMockMvc
class StrictModeTest {

    @Autowired
    MockMvc mvc;

    @Test
    void aLeakingRequestFailsNamingThePushSiteAndLeavesTheThreadClean() throws Exception {
        assertThatThrownBy(() -> mvc.perform(get("/leak"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flaskctx.strict=true and a context leaked")
                .hasMessageContaining("<AppContext of 'leaky' #")
                .hasMessageContaining(ObservabilityApp.Views.class.getName() + ".leak(");
        assertThat(Flask.hasAppContext() || Flask.hasRequestContext()).isFalse();
        mvc.perform(get("/ok")).andExpect(content().string("ok"));
    }
}
