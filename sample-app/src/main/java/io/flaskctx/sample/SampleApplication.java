package io.flaskctx.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A shop that uses Flask's context model: a before hook loads the user into {@code g}, views read {@code g}
 * and {@code current_app.config}, after and teardown hooks run around every request, and a start-up job
 * pushes an app context by hand. Nothing here wires flaskctx: adding the starter is enough.
 */
@SpringBootApplication
@EnableAsync
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
