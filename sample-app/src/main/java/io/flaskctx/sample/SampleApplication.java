package io.flaskctx.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A shop that uses Flask's context model: a before hook loads the user into {@code g}, views read {@code g}
 * and {@code current_app.config}, after and teardown hooks run around every request, a start-up job
 * pushes an app context by hand, and a scheduled job (and, with the {@code jms} profile, a message listener) gets
 * one from flaskctx. Nothing here wires flaskctx: adding the starter is enough.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
