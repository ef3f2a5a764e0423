package io.flaskctx.autoconfigure;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

import io.flaskctx.AfterRequest;
import io.flaskctx.CurrentApp;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A {@code @WebMvcTest} slice gets contexts and hooks through the AutoConfigureWebMvc registration. */
@WebMvcTest(properties = {"flaskctx.app-name=slice", "flaskctx.config.FLAVOUR=vanilla"})
class WebMvcSliceTest {

    @Autowired
    MockMvc mvc;

    @Test
    void controllersInASliceSeeCurrentAppAndG() throws Exception {
        mvc.perform(get("/slice")).andExpect(content().string("slice vanilla g=set-by-view"))
                .andExpect(header().string("X-Slice", "after hook ran"));
    }

    @SpringBootConfiguration
    @Import({SliceController.class, SliceHooks.class})
    static class SliceApp {
    }

    @RestController
    static class SliceController {
        private final CurrentApp currentApp;
        private final G g;

        SliceController(CurrentApp currentApp, G g) {
            this.currentApp = currentApp;
            this.g = g;
        }

        @GetMapping("/slice")
        String slice() {
            g.set("v", "set-by-view");
            return currentApp.name() + " " + currentApp.config().get("FLAVOUR") + " g=" + g.get("v");
        }
    }

    static class SliceHooks {
        @AfterRequest
        void stamp(HttpServletResponse response) {
            response.setHeader("X-Slice", "after hook ran");
        }
    }
}
