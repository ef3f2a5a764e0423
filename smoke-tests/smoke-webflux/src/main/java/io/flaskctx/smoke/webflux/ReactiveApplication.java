package io.flaskctx.smoke.webflux;

import io.flaskctx.Flask;
import io.flaskctx.WithAppContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application with flaskctx's starter: it starts, its handlers run without request contexts (those are
 * Spring MVC only), and its services still get app contexts.
 */
@SpringBootApplication
public class ReactiveApplication {

    /**
     * Starts the application.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ReactiveApplication.class, args);
    }

    /** A service that needs {@code current_app} and {@code g}. */
    @Component
    public static class Greeter {
        /** @return the app's name and {@code g}, read inside the app context flaskctx pushed around the call */
        @WithAppContext
        public String greet() {
            Flask.g().set("greeted", "yes");
            return "hello from " + Flask.currentApp().name() + " g.greeted=" + Flask.g().get("greeted");
        }
    }

    /** A WebFlux handler. */
    @RestController
    public static class GreetingController {
        private final Greeter greeter;

        /**
         * @param greeter the service
         */
        public GreetingController(Greeter greeter) {
            this.greeter = greeter;
        }

        /** @return the greeting, and whether a request context existed (never, in WebFlux) */
        @GetMapping("/greet")
        public Mono<String> greet() {
            return Mono.fromSupplier(() -> greeter.greet() + " request-context=" + Flask.hasRequestContext());
        }
    }
}
