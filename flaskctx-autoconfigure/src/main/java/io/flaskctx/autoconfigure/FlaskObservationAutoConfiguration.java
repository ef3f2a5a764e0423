package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.observation.AppContextObservationConvention;
import io.flaskctx.observation.AppContextObserver;
import io.flaskctx.observation.DefaultAppContextObservationConvention;
import io.flaskctx.observation.DefaultFlaskHookObservationConvention;
import io.flaskctx.observation.FlaskHookObservationConvention;
import io.flaskctx.observation.MdcContextListener;
import io.flaskctx.observation.MdcValue;
import io.flaskctx.observation.ObservationHookObserver;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * flaskctx in Micrometer Observations, where Micrometer's observation API and an {@code ObservationRegistry} bean
 * are present: each hook invocation as a {@code flaskctx.hook} observation, each app context pushed outside a
 * request as a {@code flaskctx.appcontext} one. And, where SLF4J is present, the {@code g} values named in
 * {@code flaskctx.logging.mdc-keys} in the MDC. Both are installed on every {@link FlaskApp} bean once all beans
 * exist, before the server takes requests and before runners run.
 *
 * <p>Whether the observations are on is decided here, once: not while the registry is no-op, nor when
 * {@code management.observations.enable.flaskctx} (or {@code ...flaskctx.hook}, {@code ...flaskctx.appcontext})
 * is false. Then nothing is installed and a request creates no observation object at all.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean(FlaskApp.class)
@EnableConfigurationProperties(FlaskProperties.class)
public class FlaskObservationAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does. */
    public FlaskObservationAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static class Observations {

        @Bean
        SmartInitializingSingleton flaskObservationInstaller(ObjectProvider<FlaskApp> apps,
                ObservationRegistry registry, ObjectProvider<FlaskHookObservationConvention> hookConvention,
                ObjectProvider<AppContextObservationConvention> appContextConvention, Environment environment) {
            return () -> {
                if (registry.isNoop()) {
                    return;
                }
                Map<String, Boolean> enable = Binder.get(environment)
                        .bind("management.observations.enable", Bindable.mapOf(String.class, Boolean.class))
                        .orElse(Map.of());
                boolean hooks = enabled(enable, DefaultFlaskHookObservationConvention.NAME);
                boolean contexts = enabled(enable, DefaultAppContextObservationConvention.NAME);
                ObservationHookObserver hookObserver = hooks
                        ? new ObservationHookObserver(registry, hookConvention.getIfUnique()) : null;
                AppContextObserver contextObserver = contexts
                        ? new AppContextObserver(registry, appContextConvention.getIfUnique()) : null;
                apps.orderedStream().forEach(app -> {
                    if (hookObserver != null) {
                        app.setHookObserver(hookObserver);
                    }
                    if (contextObserver != null) {
                        app.addContextListener(contextObserver);
                    }
                });
            };
        }

        /** Boot's lookup of management.observations.enable: the name, then each shorter prefix, then 'all'. */
        static boolean enabled(Map<String, Boolean> enable, String name) {
            String candidate = name;
            while (true) {
                Boolean value = enable.get(candidate);
                if (value != null) {
                    return value;
                }
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    return enable.getOrDefault("all", true);
                }
                candidate = candidate.substring(0, dot);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.slf4j.MDC")
    static class Mdc {

        @Bean
        SmartInitializingSingleton flaskMdcInstaller(ObjectProvider<FlaskApp> apps, FlaskProperties properties,
                ObjectProvider<MdcValue> formats) {
            List<String> keys = properties.getLogging().getMdcKeys();
            List<MdcValue> given = formats.orderedStream().toList();
            MdcContextListener listener = keys.isEmpty() && given.isEmpty() ? null : listener(keys, given);
            return () -> {
                if (listener != null) {
                    apps.orderedStream().forEach(app -> app.addContextListener(listener));
                }
            };
        }

        private static MdcContextListener listener(List<String> keys, List<MdcValue> formats) {
            for (String key : keys) {
                if (key == null || key.isBlank()) {
                    throw new InvalidFlaskctxConfigurationException("flaskctx.logging.mdc-keys " + keys
                            + " holds a blank name.", "Give flaskctx.logging.mdc-keys only names of g values,"
                            + " such as [user, tenant].");
                }
            }
            for (MdcValue format : formats) {
                if (!keys.contains(format.key())) {
                    throw new InvalidFlaskctxConfigurationException("There is an MdcValue bean for '" + format.key()
                            + "', but flaskctx.logging.mdc-keys " + keys + " does not name it, so it would never be"
                            + " logged.", "Add " + format.key() + " to flaskctx.logging.mdc-keys, or remove the"
                            + " MdcValue bean.");
                }
            }
            return new MdcContextListener(keys, formats);
        }
    }
}
