package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers a {@link FlaskApp} bean for each app under {@code flaskctx.apps}, made by the {@code FlaskApps}
 * registry and qualified with the app's name, so that {@code @Qualifier("admin") FlaskApp admin} injects it.
 * Definitions, not instances: they must exist before any bean that injects them is created. Under Spring AOT it runs
 * when the application is processed, not at start-up ({@link MountedAppBeansAotExclusion} says why).
 */
final class MountedAppBeans implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    private @Nullable Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        // EnvironmentAware: set before any registry post-processing
        Environment environment = Objects.requireNonNull(this.environment);
        if (!environment.getProperty("flaskctx.enabled", Boolean.class, true)) {
            return;
        }
        Map<String, Object> apps = Binder.get(environment)
                .bind("flaskctx.apps", Bindable.mapOf(String.class, Object.class)).orElse(Map.of());
        for (String name : apps.keySet()) {
            RootBeanDefinition definition = new RootBeanDefinition(FlaskApp.class);
            definition.setFactoryBeanName("flaskApps");
            definition.setFactoryMethodName("get");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
            registry.registerBeanDefinition("flaskApp." + name, definition);
        }
    }
}
