package io.flaskctx.autoconfigure;

import io.flaskctx.CurrentApp;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.G;
import io.flaskctx.propagation.CopyContextTaskDecorator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

/**
 * The app and its proxies, for any application (jobs and tests push app contexts too): a {@link FlaskApp}
 * built from {@code flaskctx.*}, the {@link CurrentApp} and {@link G} proxies, and the hook annotations.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FlaskProperties.class)
@Import(ReactiveNotice.class)
public class FlaskAutoConfiguration {

    /** Creates the auto-configuration; Spring Boot does this. */
    public FlaskAutoConfiguration() {
    }

    /** The main app; primary, since mounted apps are FlaskApp beans too (injected by qualifier). */
    @Bean
    @Primary
    @ConditionalOnMissingBean
    FlaskApp flaskApp(FlaskProperties properties, Environment environment) {
        String name = properties.getAppName();
        if (name == null) {
            name = environment.getProperty("spring.application.name", "application");
        }
        if (name.isBlank()) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.app-name is blank; an app needs a name.",
                    "Set flaskctx.app-name (or spring.application.name) to a name such as 'shop', or remove it to"
                            + " use the default 'application'.");
        }
        if (properties.getMaxDepth() < 1) {
            throw new InvalidFlaskctxConfigurationException("flaskctx.max-depth is " + properties.getMaxDepth()
                    + ", but a thread must be able to hold at least one context.",
                    "Set flaskctx.max-depth to a positive number (default 64), or remove it.");
        }
        FlaskApp app = new FlaskApp(name);
        app.setMaxContextDepth(properties.getMaxDepth());
        diagnostics(app, properties);
        app.config().putAll(properties.getConfig());
        return app;
    }

    /** The app's own diagnostics: nothing JVM-wide, so another application context keeps its own settings. */
    private static void diagnostics(FlaskApp app, FlaskProperties properties) {
        app.setCapturePushSites(properties.getDebug().isCapturePushSites());
        app.setStrict(properties.isStrict());
    }

    /** The main app and the apps mounted beside it (flaskctx.apps). */
    @Bean
    @ConditionalOnMissingBean
    FlaskApps flaskApps(FlaskApp main, FlaskProperties properties) {
        FlaskApps apps = FlaskApps.of(main);
        for (Map.Entry<String, FlaskProperties.App> entry : properties.getApps().entrySet()) {
            String name = entry.getKey();
            String property = "flaskctx.apps." + name + ".mount";
            String mount = entry.getValue().getMount();
            if (name.equals(main.name())) {
                throw new InvalidFlaskctxConfigurationException("flaskctx.apps." + name + " is named like the main"
                        + " app ('" + main.name() + "'); every app needs a name of its own.",
                        "Rename the mounted app (the key under flaskctx.apps), or give the main app another name"
                                + " with flaskctx.app-name.");
            }
            String problem = FlaskApps.checkMount(mount);
            if (problem != null || mount == null) {
                throw new InvalidFlaskctxConfigurationException(property + " is '" + mount + "', which " + problem
                        + ".", "Set " + property + " to a path such as /" + name + ": a leading '/', no trailing"
                        + " '/', plain segments.");
            }
            String taken = apps.mounts().entrySet().stream().filter(e -> e.getValue().equals(mount))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (taken != null) {
                throw new InvalidFlaskctxConfigurationException(property + " is '" + mount + "', the mount of app '"
                        + taken + "' already: two apps cannot share a mount.",
                        "Give flaskctx.apps." + name + " and flaskctx.apps." + taken + " different mounts.");
            }
            FlaskApp app = new FlaskApp(name);
            app.setMaxContextDepth(main.maxContextDepth());
            diagnostics(app, properties);
            app.config().putAll(entry.getValue().getConfig());
            apps = apps.mount(mount, app);
        }
        return apps;
    }

    /** Makes each mounted app a FlaskApp bean, injectable with @Qualifier("name"). */
    @Bean
    static MountedAppBeans flaskMountedAppBeans() {
        return new MountedAppBeans();
    }

    @Bean
    @ConditionalOnMissingBean
    CurrentApp currentApp() {
        return CurrentApp.proxy();
    }

    @Bean
    @ConditionalOnMissingBean
    G flaskG() {
        return G.proxy();
    }

    /** Boot applies every TaskDecorator bean to its task executor, so @Async work sees the caller's contexts. */
    @Bean
    @ConditionalOnClass(TaskDecorator.class)
    @ConditionalOnMissingBean
    CopyContextTaskDecorator flaskCopyContextTaskDecorator() {
        return new CopyContextTaskDecorator();
    }

    /** The appcontext bean scope (@AppContextScope). Static: it must be registered before any bean is created. */
    @Bean
    static AppContextScopeRegistrar flaskAppContextScopeRegistrar() {
        return new AppContextScopeRegistrar();
    }

    /**
     * App contexts beyond requests: {@code @WithAppContext} methods, {@code @Scheduled} runs and runners. Static, as
     * every post-processor; it reads its two switches straight from the environment for the same reason.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AppContextPostProcessor flaskAppContextPostProcessor(Environment environment) {
        Binder binder = Binder.get(environment);
        return new AppContextPostProcessor(
                binder.bind("flaskctx.scheduling.app-context", Boolean.class).orElse(true),
                binder.bind("flaskctx.runners.app-context", Boolean.class).orElse(true));
    }

    /** Flask's signals as Spring events, installed once the listeners are known, and only if there are any. */
    @Bean
    SignalsInstaller flaskSignalsInstaller(ObjectProvider<FlaskApp> apps) {
        return new SignalsInstaller(apps);
    }

    @Bean
    HookMethodRegistrar flaskHookMethodRegistrar(ConfigurableListableBeanFactory beanFactory, FlaskApps app) {
        return new HookMethodRegistrar(beanFactory, app);
    }
}
