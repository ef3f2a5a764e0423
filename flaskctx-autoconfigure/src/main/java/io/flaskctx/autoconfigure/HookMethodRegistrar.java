package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.annotation.Order;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the hook-annotated methods of every singleton bean once all singletons exist, and registers them on
 * the app: ordered by {@code @Order} (on the method, else on the bean), then by bean registration order,
 * then by method name. Flask's hooks run in registration order; this gives Spring users a stable one. The
 * blueprints the beans declare are registered first (parents first), so that each hook and context processor goes
 * to its blueprint's list or the app's.
 */
final class HookMethodRegistrar implements SmartInitializingSingleton {

    private record Found(HookMethod hook, List<FlaskApp> apps, Method method, HookMethod.Kind kind,
            Class<?> beanType, int order, int beanIndex, String methodName) {
    }

    private final ConfigurableListableBeanFactory beanFactory;
    private final FlaskApps apps;

    HookMethodRegistrar(ConfigurableListableBeanFactory beanFactory, FlaskApps apps) {
        this.beanFactory = beanFactory;
        this.apps = apps;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Found> found = new ArrayList<>();
        String[] names = beanFactory.getBeanNamesForType(Object.class, false, false);
        BlueprintDeclarations blueprints = new BlueprintDeclarations();
        for (int index = 0; index < names.length; index++) {
            String name = names[index];
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue;
            }
            Class<?> type = beanFactory.getType(name, false);
            if (type == null || type.getName().startsWith("org.springframework.")) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            blueprints.add(userType);
            for (HookMethod.Kind kind : HookMethod.Kind.values()) {
                Map<Method, Boolean> methods = MethodIntrospector.selectMethods(userType,
                        (MethodIntrospector.MetadataLookup<Boolean>) m ->
                                AnnotatedElementUtils.hasAnnotation(m, kind.annotation) ? Boolean.TRUE : null);
                if (methods.isEmpty()) {
                    continue;
                }
                Object bean = beanFactory.getBean(name);
                for (Method method : methods.keySet()) {
                    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                    found.add(new Found(HookMethod.of(bean, invocable, kind), targets(method, kind),
                            method, kind, userType, order(method, bean), index, method.getName()));
                }
            }
        }
        for (FlaskApp app : apps.all()) {
            blueprints.registerOn(app);
        }
        found.sort(Comparator.comparingInt(Found::order).thenComparingInt(Found::beanIndex)
                .thenComparing(Found::methodName));
        for (Found f : found) {
            // Once every blueprint is known: a hook may name one that a later bean declares.
            String blueprint = blueprints.ofHook(f.method(), f.kind().annotation, f.beanType());
            for (FlaskApp app : f.apps()) {
                f.hook().registerOn(app, blueprint);
            }
        }
    }

    /** The apps a hook belongs to: its annotation's {@code app}, the main app when empty, all for "*". */
    private List<FlaskApp> targets(Method method, HookMethod.Kind kind) {
        AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(method, kind.annotation,
                false, false);
        String name = attributes == null ? "" : attributes.getString("app");
        if (name.isEmpty()) {
            return List.of(apps.main());
        }
        if (name.equals("*")) {
            return apps.all();
        }
        if (!apps.contains(name)) {
            String where = method.getDeclaringClass().getName() + "." + method.getName();
            throw new InvalidFlaskctxConfigurationException("@" + kind.annotation.getSimpleName() + " method " + where
                    + " belongs to app '" + name + "', but there is no app of that name; the apps are "
                    + apps.all().stream().map(FlaskApp::name).toList() + ".",
                    "Name one of those apps in app = \"...\", use \"*\" for every app, or declare the app under"
                            + " flaskctx.apps." + name + " (with its mount).");
        }
        return List.of(apps.get(name));
    }

    private static int order(Method method, Object bean) {
        Order onMethod = AnnotatedElementUtils.findMergedAnnotation(method, Order.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        if (bean instanceof Ordered ordered) {
            return ordered.getOrder();
        }
        return OrderUtils.getOrder(AopProxyUtils.ultimateTargetClass(bean), Ordered.LOWEST_PRECEDENCE);
    }
}
