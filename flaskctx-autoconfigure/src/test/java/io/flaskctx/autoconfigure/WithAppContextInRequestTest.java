package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.WithAppContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

/** A {@code @WithAppContext} method called inside a request reuses the request's app context and its g. */
@SpringBootTest(classes = WithAppContextInRequestTest.App.class, properties = "flaskctx.app-name=shop")
@AutoConfigureMockMvc
class WithAppContextInRequestTest {

    static final List<String> teardowns = new CopyOnWriteArrayList<>();

    @Autowired
    MockMvc mvc;

    @Test
    void theRequestsContextIsReusedAndTornDownOnceWhenTheRequestEnds() throws Exception {
        teardowns.clear();
        mvc.perform(get("/report").header("X-User", "ann")).andExpect(content().string("ann in shop"));
        assertThat(teardowns).containsExactly("teardown g=[user, reported]");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Views.class, Reports.class, Hooks.class})
    static class App {
    }

    @RestController
    static class Views {
        private final Reports reports;

        Views(Reports reports) {
            this.reports = reports;
        }

        @GetMapping("/report")
        String report() {
            String answer = reports.build();
            assertThat(teardowns).as("the method did not tear the request's context down").isEmpty();
            return answer;
        }
    }

    static class Reports {
        @WithAppContext
        String build() {
            Flask.g().set("reported", true);
            return Flask.g().get("user") + " in " + Flask.currentApp().name();
        }
    }

    static class Hooks {
        @BeforeRequest
        void load(HttpServletRequest request) {
            Flask.g().set("user", request.getHeader("X-User"));
        }

        @TeardownAppContext
        void teardown(G g) {
            teardowns.add("teardown g=" + g.names());
        }
    }
}
