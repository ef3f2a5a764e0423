package io.flaskctx.autoconfigure;

import io.flaskctx.BeforeRequest;
import io.flaskctx.FlaskApp;
import io.flaskctx.TeardownAppContext;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** An app with a leaky view and a nesting view, for the meters, the leak reports and the endpoint. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ObservabilityApp.Views.class, ObservabilityApp.Hooks.class, ObservabilityApp.Jobs.class})
class ObservabilityApp {

    @RestController
    static final class Views {
        private final FlaskApp app;

        Views(FlaskApp app) {
            this.app = app;
        }

        @GetMapping("/leak")
        String leak() {
            app.appContext().push(); // never popped
            return "leaked";
        }

        @GetMapping("/leak-reported")
        String leakReported() {
            app.appContext().push(); // never popped; a push site no other test uses
            return "leaked";
        }

        @GetMapping("/nested")
        String nested() {
            try (var one = app.appContext().push(); var two = app.appContext().push()) {
                return "nested";
            }
        }

        @GetMapping("/ok")
        String ok() {
            return "ok";
        }
    }

    /** Work beyond requests: its contexts are counted with origin=method and the endpoint lists it. */
    static class Jobs {
        @io.flaskctx.WithAppContext
        String digest() {
            return "digest for " + io.flaskctx.Flask.currentApp().name();
        }
    }

    static final class Hooks {
        @BeforeRequest
        void loadUser() {
        }

        @TeardownAppContext
        void closeDb(Throwable error) {
        }
    }
}
