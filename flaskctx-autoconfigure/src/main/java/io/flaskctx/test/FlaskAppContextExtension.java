package io.flaskctx.test;

import io.flaskctx.AppContext;
import io.flaskctx.FlaskApp;
import io.flaskctx.StackMark;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.util.ReflectionUtils;

/** The JUnit 5 extension behind {@link FlaskAppContext}. */
public final class FlaskAppContextExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            FlaskAppContextExtension.class);

    /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
    public FlaskAppContextExtension() {
    }

    private record Pushed(AppContext context, StackMark mark, boolean capturedBefore) {
    }

    @Override
    public void beforeEach(ExtensionContext extension) {
        FlaskApp app = app(extension);
        boolean capturedBefore = app.capturesPushSites();
        app.setCapturePushSites(true);
        AppContext context = app.appContext().push();
        extension.getStore(NAMESPACE).put(Pushed.class, new Pushed(context, StackMark.here(), capturedBefore));
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        Pushed pushed = extension.getStore(NAMESPACE).remove(Pushed.class, Pushed.class);
        if (pushed == null) {
            return;
        }
        try {
            List<StackMark.Leak> leaks = pushed.mark().popLeaks("when the test ended");
            pushed.context().pop(extension.getExecutionException().orElse(null));
            if (!leaks.isEmpty()) {
                throw new AssertionError("The test left " + leaks.size() + " context(s) pushed; flaskctx popped "
                        + "them and ran their teardown. Pop every context you push (try-with-resources):\n"
                        + leaks.stream().map(leak -> "    " + leak).collect(Collectors.joining("\n")));
            }
        } finally {
            pushed.context().app().setCapturePushSites(pushed.capturedBefore());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == AppContext.class || type == FlaskApp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Pushed pushed = extension.getStore(NAMESPACE).get(Pushed.class, Pushed.class);
        if (pushed == null) {
            throw new IllegalStateException("No app context was pushed for this test");
        }
        return parameter.getParameter().getType() == AppContext.class ? pushed.context() : pushed.context().app();
    }

    private static FlaskApp app(ExtensionContext extension) {
        if (usesSpring(extension.getRequiredTestClass())) {
            FlaskApp bean = SpringExtension.getApplicationContext(extension).getBeanProvider(FlaskApp.class)
                    .getIfUnique();
            if (bean != null) {
                return bean;
            }
        }
        Optional<Object> instance = extension.getTestInstance();
        if (instance.isPresent()) {
            for (Class<?> type = instance.get().getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getType() == FlaskApp.class) {
                        ReflectionUtils.makeAccessible(field);
                        Object value = ReflectionUtils.getField(field, instance.get());
                        if (value != null) {
                            return (FlaskApp) value;
                        }
                    }
                }
            }
        }
        String name = extension.getTestMethod()
                .map(m -> AnnotatedElementUtils.findMergedAnnotation(m, FlaskAppContext.class))
                .or(() -> Optional.ofNullable(AnnotatedElementUtils.findMergedAnnotation(
                        extension.getRequiredTestClass(), FlaskAppContext.class)))
                .map(FlaskAppContext::value).orElse("test");
        // the store keeps what the function computed, never null
        return Objects.requireNonNull(extension.getStore(NAMESPACE).getOrComputeIfAbsent(
                FlaskApp.class.getName() + ":" + name, key -> new FlaskApp(name), FlaskApp.class));
    }

    private static boolean usesSpring(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            boolean spring = MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                    .stream(ExtendWith.class)
                    .anyMatch(a -> List.of(a.getClassArray("value")).contains(SpringExtension.class));
            if (spring) {
                return true;
            }
        }
        return false;
    }
}
