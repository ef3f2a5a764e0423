package io.flaskctx.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** In a Spring test the extension pushes a context of the application's own FlaskApp bean. */
@SpringBootTest(classes = FlaskAppContextSpringTest.App.class, properties = "flaskctx.app-name=spring-app")
@AutoConfigureMockMvc
@FlaskAppContext
class FlaskAppContextSpringTest {

    @Autowired
    FlaskApp app;

    @Autowired
    MockMvc mvc;

    @Test
    void theTestRunsInAContextOfTheApplicationsApp() throws Exception {
        assertThat(Flask.currentApp()).isSameAs(app);
        Flask.g().set("from-test", "set before the request");
        // MockMvc runs the request on this thread: the test's context is the outer one, reused as in Flask
        mvc.perform(get("/g")).andExpect(content().string("set before the request"));
        assertThat(Flask.currentApp()).isSameAs(app);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(App.View.class)
    static class App {
        @RestController
        static class View {
            @GetMapping("/g")
            String g() {
                return String.valueOf(Flask.g().get("from-test"));
            }
        }
    }
}
