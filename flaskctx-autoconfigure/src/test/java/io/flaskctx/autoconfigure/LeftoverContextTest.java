package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.ContextStats;
import io.flaskctx.ContextType;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Other code on the server's only thread leaves a context pushed after a request; the next request on that
 * thread finds it, reports it and pops it before anything of the application runs.
 */
@SpringBootTest(classes = LeftoverContextTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.tomcat.threads.max=1", "server.tomcat.threads.min-spare=1", "flaskctx.app-name=mine"})
@ExtendWith(OutputCaptureExtension.class)
class LeftoverContextTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Observed observed;

    @Test
    void theNextRequestOnThatThreadNeverSeesTheLeftover(CapturedOutput output) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long leaked = ContextStats.leaked(observed.rogue, ContextType.APP);
        String first = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/app?leave=1"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String second = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/app")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(first).isEqualTo("mine");
        assertThat(second).isEqualTo("mine");
        assertThat(ContextStats.leaked(observed.rogue, ContextType.APP) - leaked).isEqualTo(1);
        assertThat(output).containsPattern(
                "<AppContext of 'rogue' #[0-9a-f]+> was still pushed when GET /app began on this thread");
        // the filter looks after the response was sent: give it a moment
        for (int i = 0; i < 100 && observed.afterSecondRequest.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(observed.afterSecondRequest).containsExactly("clean");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Views.class, App.Observed.class})
    static class App {

        static final class Observed {
            final Queue<String> afterSecondRequest = new ConcurrentLinkedQueue<>();
            // held here: an app's leak count goes with the app when it is collected
            final FlaskApp rogue = new FlaskApp("rogue");
        }

        /** Outside flaskctx: misbehaves after the first request, and looks at the thread after the second. */
        @Bean
        FilterRegistrationBean<Filter> rogueFilter(Observed observed) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                chain.doFilter(request, response);
                if (request.getParameter("leave") != null) {
                    observed.rogue.appContext().push();
                } else {
                    observed.afterSecondRequest.add(Flask.hasAppContext() ? "dirty" : "clean");
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }

        @RestController
        static final class Views {
            @GetMapping("/app")
            String app() {
                return Flask.currentApp().name();
            }
        }
    }
}
