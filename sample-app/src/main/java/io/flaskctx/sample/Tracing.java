package io.flaskctx.sample;

import io.flaskctx.observation.MdcValue;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code tracing} profile (application-tracing.yml): spans printed to the console by OpenTelemetry's logging
 * exporter, so each request shows its {@code http.server.requests} span and a {@code flaskctx.hook} span per hook
 * under it; and the user in {@code g} logged by name on every line of the request.
 */
@Configuration(proxyBeanMethods = false)
@Profile("tracing")
public class Tracing {

    /** Boot hands every SpanExporter bean the finished spans. */
    @Bean
    SpanExporter consoleSpanExporter() {
        return LoggingSpanExporter.create();
    }

    /** {@code g.user} is a {@link User}; the logs want its name, not the record's toString. */
    @Bean
    MdcValue userInLogs() {
        return MdcValue.of("user", user -> ((User) user).name());
    }
}
