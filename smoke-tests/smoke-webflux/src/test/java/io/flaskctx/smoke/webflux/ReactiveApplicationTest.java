package io.flaskctx.smoke.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * A real WebFlux application on a real port with the starter: it starts, logs exactly once that request contexts
 * are Spring MVC only, and its services get app contexts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "flaskctx.app-name=flux")
@ExtendWith(OutputCaptureExtension.class)
class ReactiveApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void itStartsAsAReactiveServerAndSaysOnceThatRequestContextsAreSpringMvcOnly(CapturedOutput output) {
        assertThat(context).isInstanceOf(ReactiveWebServerApplicationContext.class);
        String line = "request contexts (Flask.request(), request hooks, the session) are Spring MVC only";
        assertThat(output.getOut().lines().filter(l -> l.contains(line))).singleElement().asString()
                .contains(" INFO ").contains("FlaskAutoConfiguration");
    }

    @Test
    void aHandlerCallsAServiceThatGetsItsAppContext() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/greet")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from flux g.greeted=yes request-context=false");
    }
}
