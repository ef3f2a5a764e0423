package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApps;
import io.flaskctx.WithAppContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Puts every bean with a method that needs an app context ({@link WithAppContext}, {@code @Scheduled}, a runner's
 * {@code run}) behind a Spring AOP proxy with {@link AppContextInterceptor}, the way Spring applies {@code @Async}:
 * a plain advisor, no AspectJ weaver, a class-based proxy (an interface-based one for lambdas). A bean proxied
 * already (by {@code @Transactional}, say) gets the advisor added in front of the others, so the app context is
 * outside the transaction: teardown runs after the commit or rollback, and sees the exception that ended it.
 *
 * <p>It runs before Spring's {@code @Async} and {@code @Scheduled} post-processors: the scheduler calls the proxy,
 * and an {@code @Async} method's context is pushed on the executor's thread, around the method.
 */
final class AppContextPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
        implements SmartInitializingSingleton {

    private static final long serialVersionUID = 1L;

    private final transient AppContextMethods methods;

    AppContextPostProcessor(boolean scheduling, boolean runners) {
        this.methods = new AppContextMethods(scheduling, runners);
        AppContextInterceptor interceptor = new AppContextInterceptor(methods,
                () -> beanFactory().getBean(FlaskApps.class));
        this.advisor = new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {
            @Override
            public boolean matches(Method method, Class<?> targetClass) {
                return methods.find(method, targetClass) != null;
            }
        }, interceptor);
        setBeforeExistingAdvisors(true);
        setProxyTargetClass(true);
        // Before @Async (which then goes in front, so the context is pushed on the executor's thread) and before
        // @Scheduled (which must register the proxy); both are at the lowest precedence.
        setOrder(Ordered.LOWEST_PRECEDENCE - 1);
    }

    /** Also asked to predict bean types, so it only decides; reports happen in postProcessAfterInitialization. */
    @Override
    protected boolean isEligible(Class<?> targetClass) {
        return super.isEligible(targetClass) && methods.advisable(ClassUtils.getUserClass(targetClass));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AopInfrastructureBean) {
            return bean;
        }
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (super.isEligible(targetClass)) {
            Class<?> userClass = ClassUtils.getUserClass(targetClass);
            methods.report(userClass);
            if (methods.advisable(userClass)) {
                methods.proxied(userClass);
            }
        }
        return super.postProcessAfterInitialization(bean, beanName);
    }

    @Override
    protected ProxyFactory prepareProxyFactory(Object bean, String beanName) {
        ProxyFactory factory = super.prepareProxyFactory(bean, beanName);
        if (Modifier.isFinal(bean.getClass().getModifiers())) {
            // a lambda runner: only its interface can be proxied (report() refused other final classes)
            factory.setProxyTargetClass(false);
        }
        return factory;
    }

    /** Checks the app of every wrapped method once the apps exist, so a wrong name stops start-up. */
    @Override
    public void afterSingletonsInstantiated() {
        methods.resolveApps(beanFactory().getBean(FlaskApps.class));
    }

    /** The bean factory, which Spring sets (as BeanFactoryAware) before any bean is proxied. */
    private BeanFactory beanFactory() {
        return Objects.requireNonNull(beanFactory, "beanFactory");
    }

    /** @return what is wrapped (and what could not be), for the actuator endpoint */
    List<Map<String, Object>> describe() {
        return methods.describe();
    }
}
