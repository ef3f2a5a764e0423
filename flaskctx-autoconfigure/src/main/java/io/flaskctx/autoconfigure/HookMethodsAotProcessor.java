package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.ContextProcessor;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import io.flaskctx.WithAppContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.jspecify.annotations.Nullable;

/**
 * Ahead-of-time (Spring AOT, GraalVM native images): registers a reflection hint to invoke every method of a bean
 * that flaskctx calls by reflection, the hook methods ({@code HookMethod}) and the {@code @WithAppContext} methods
 * (called through an AOP proxy's reflective join point), and the two adapters through which {@code HookMethod}
 * binds a hook's arguments. Without the hints a native image keeps the bean's type but
 * not its hook methods. Registered in {@code META-INF/spring/aot.factories}, so the core's annotations stay free of
 * Spring ({@code @Reflective} would need Spring on them); it sees the user's beans, which a plain
 * {@code RuntimeHintsRegistrar} does not.
 */
final class HookMethodsAotProcessor implements BeanRegistrationAotProcessor {

    /**
     * Every flaskctx annotation whose methods flaskctx invokes by reflection: the one place to list a new one.
     * {@code HookMethodsAotProcessorTest} checks that each {@link HookMethod.Kind} is here.
     */
    static final List<Class<? extends Annotation>> INVOKED_METHOD_ANNOTATIONS = List.of(
            BeforeRequest.class,
            AfterRequest.class,
            TeardownRequest.class,
            TeardownAppContext.class,
            ContextProcessor.class,
            WithAppContext.class);

    /** Annotations that, on a type, make each of its public methods invoked by reflection. */
    static final List<Class<? extends Annotation>> INVOKED_TYPE_ANNOTATIONS = List.of(WithAppContext.class);

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanType = registeredBean.getBeanType().resolve(registeredBean.getBeanClass());
        if (beanType == null || beanType.getName().startsWith("org.springframework.")) {
            return null;
        }
        Set<Method> methods = invokedMethods(ClassUtils.getUserClass(beanType));
        if (methods.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
            methods.forEach(method -> reflection.registerMethod(method, ExecutableMode.INVOKE));
            // the adapters that HookMethod binds each hook's arguments through, looked up by name
            HookMethod.adapters().forEach(adapter -> reflection.registerMethod(adapter, ExecutableMode.INVOKE));
        };
    }

    /** @return the methods of {@code type} that flaskctx may invoke by reflection, in a stable order */
    static Set<Method> invokedMethods(Class<?> type) {
        Set<Method> methods = new LinkedHashSet<>();
        for (Class<? extends Annotation> annotation : INVOKED_METHOD_ANNOTATIONS) {
            methods.addAll(MethodIntrospector.selectMethods(type, (ReflectionUtils.MethodFilter) method ->
                    AnnotatedElementUtils.hasAnnotation(method, annotation)));
        }
        for (Class<? extends Annotation> annotation : INVOKED_TYPE_ANNOTATIONS) {
            if (AnnotatedElementUtils.hasAnnotation(type, annotation)) {
                for (Method method : type.getMethods()) {
                    if (method.getDeclaringClass() != Object.class && !Modifier.isStatic(method.getModifiers())) {
                        methods.add(method);
                    }
                }
            }
        }
        return methods;
    }
}
