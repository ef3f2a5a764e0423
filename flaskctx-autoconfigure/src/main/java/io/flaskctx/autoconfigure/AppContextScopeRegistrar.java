package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.scope.AppContextBeanScope;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * Registers the {@code appcontext} scope before any bean is created, and makes its destruction a
 * teardown-appcontext hook of each app, from start-up when a bean definition uses the scope, else when a bean of
 * the scope is first made (one registered later, or by hand). An app without such beans keeps no hook for them,
 * so the last pop of its contexts has nothing to tear down.
 */
final class AppContextScopeRegistrar implements BeanFactoryPostProcessor, SmartInitializingSingleton {

    private final AppContextBeanScope scope = new AppContextBeanScope();
    private @Nullable ConfigurableListableBeanFactory beanFactory;
    // The apps, once they exist; until then a use of the scope is only remembered.
    private @Nullable List<FlaskApp> apps;
    private boolean used;
    private volatile boolean hooked;

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        beanFactory.registerScope(AppContextBeanScope.NAME, new HookingScope());
    }

    @Override
    public void afterSingletonsInstantiated() {
        // set by postProcessBeanFactory, which runs long before the singletons exist
        ConfigurableListableBeanFactory factory = Objects.requireNonNull(beanFactory);
        List<FlaskApp> found = factory.getBeanProvider(FlaskApp.class).orderedStream().toList();
        boolean declared = false;
        for (String name : factory.getBeanDefinitionNames()) {
            if (AppContextBeanScope.NAME.equals(factory.getBeanDefinition(name).getScope())) {
                declared = true;
                break;
            }
        }
        synchronized (this) {
            apps = found;
            if (declared || used) {
                hookApps();
            }
        }
    }

    /** A bean of the scope is about to be looked up: the apps must destroy it at teardown. */
    private void scopeUsed() {
        if (hooked) {
            return;
        }
        synchronized (this) {
            used = true;
            if (apps != null && !hooked) {
                hookApps();
            }
        }
    }

    // under this object's lock
    private void hookApps() {
        for (FlaskApp app : Objects.requireNonNull(apps)) {
            app.teardownAppContext(new DestroyScopedBeans(scope));
        }
        hooked = true;
    }

    /** The scope as the bean factory sees it: {@link AppContextBeanScope}, which hooks the apps on first use. */
    private final class HookingScope implements Scope {

        @Override
        public Object get(String name, ObjectFactory<?> objectFactory) {
            scopeUsed();
            return scope.get(name, objectFactory);
        }

        @Override
        public @Nullable Object remove(String name) {
            return scope.remove(name);
        }

        @Override
        public void registerDestructionCallback(String name, Runnable callback) {
            scopeUsed();
            scope.registerDestructionCallback(name, callback);
        }

        @Override
        public @Nullable Object resolveContextualObject(String key) {
            return scope.resolveContextualObject(key);
        }

        @Override
        public @Nullable String getConversationId() {
            return scope.getConversationId();
        }
    }

    /** A named hook, so that the actuator endpoint lists it. */
    private record DestroyScopedBeans(AppContextBeanScope scope) implements java.util.function.Consumer<Throwable> {
        @Override
        public void accept(Throwable error) {
            scope.destroyCurrent();
        }

        @Override
        public String toString() {
            return "destroy @AppContextScope beans";
        }
    }
}
