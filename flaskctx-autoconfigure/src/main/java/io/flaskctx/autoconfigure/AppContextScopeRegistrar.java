package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.scope.AppContextBeanScope;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Registers the {@code appcontext} scope before any bean is created, and, once the apps exist, makes its
 * destruction a teardown-appcontext hook of each of them.
 */
final class AppContextScopeRegistrar implements BeanFactoryPostProcessor, SmartInitializingSingleton {

    private final AppContextBeanScope scope = new AppContextBeanScope();
    private @Nullable ConfigurableListableBeanFactory beanFactory;

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        beanFactory.registerScope(AppContextBeanScope.NAME, scope);
    }

    @Override
    public void afterSingletonsInstantiated() {
        // set by postProcessBeanFactory, which runs long before the singletons exist
        Objects.requireNonNull(beanFactory).getBeanProvider(FlaskApp.class).orderedStream()
                .forEach(app -> app.teardownAppContext(new DestroyScopedBeans(scope)));
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
