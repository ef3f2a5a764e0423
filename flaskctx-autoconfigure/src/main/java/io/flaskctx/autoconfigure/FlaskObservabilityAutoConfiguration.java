package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.actuate.FlaskctxEndpoint;
import io.flaskctx.actuate.FlaskctxMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * flaskctx's meters, where Micrometer and a registry are present; its actuator endpoint, where the actuator is
 * present and the endpoint is enabled and exposed; and, with the actuator, a {@code SanitizingFunction} that keeps
 * the secrets of {@code flaskctx.config} out of Boot's {@code env} and {@code configprops} endpoints.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(FlaskApp.class)
public class FlaskObservabilityAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        FlaskctxMetrics flaskctxMetrics(ObjectProvider<FlaskApp> apps) {
            return new FlaskctxMetrics(() -> apps.orderedStream().toList());
        }
    }

    /** Masks flaskctx.config secrets in Boot's env and configprops endpoints, which list them as properties. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction.class)
    static class Sanitizing {

        @Bean
        @ConditionalOnMissingBean(name = "flaskctxConfigSanitizingFunction")
        SanitizingFunction flaskctxConfigSanitizingFunction() {
            return FlaskctxEndpoint.configSanitizingFunction();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnAvailableEndpoint(FlaskctxEndpoint.class)
    @EnableConfigurationProperties(FlaskctxEndpointProperties.class)
    static class Actuator {

        @Bean
        @ConditionalOnMissingBean
        FlaskctxEndpoint flaskctxEndpoint(ObjectProvider<FlaskApp> apps, ObjectProvider<FlaskApps> registry,
                ObjectProvider<SanitizingFunction> sanitizingFunctions, FlaskctxEndpointProperties properties,
                ObjectProvider<AppContextPostProcessor> wrapping) {
            return new FlaskctxEndpoint(() -> apps.orderedStream().toList(), app -> {
                FlaskApps mounted = registry.getIfAvailable();
                return mounted == null ? null : mounted.mountOf(app);
            }, sanitizingFunctions.orderedStream().toList(), properties.getShowValues(), properties.getRoles(), () -> {
                AppContextPostProcessor processor = wrapping.getIfAvailable();
                return processor == null ? java.util.List.of() : processor.describe();
            });
        }
    }
    /** Creates the auto-configuration; Spring Boot does this. */
    public FlaskObservabilityAutoConfiguration() {
    }

}
