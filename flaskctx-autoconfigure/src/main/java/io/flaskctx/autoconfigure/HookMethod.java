package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.ContextProcessor;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * One annotated hook method of a bean, adapted to the functional hooks of {@link FlaskApp}. Its parameters
 * are resolved by type from a fixed set per kind of hook, checked once at start-up.
 */
final class HookMethod {

    enum Kind {
        BEFORE_REQUEST(BeforeRequest.class, EnumSet.of(Param.REQUEST, Param.APP, Param.G), false),
        AFTER_REQUEST(AfterRequest.class, EnumSet.of(Param.RESPONSE, Param.REQUEST, Param.APP, Param.G), true),
        TEARDOWN_REQUEST(TeardownRequest.class, EnumSet.of(Param.ERROR, Param.REQUEST, Param.APP, Param.G), true),
        TEARDOWN_APPCONTEXT(TeardownAppContext.class, EnumSet.of(Param.ERROR, Param.APP, Param.G), true),
        CONTEXT_PROCESSOR(ContextProcessor.class, EnumSet.of(Param.REQUEST, Param.APP, Param.G), false);

        final Class<? extends Annotation> annotation;
        final Set<Param> allowed;
        final boolean mustReturnVoid;

        Kind(Class<? extends Annotation> annotation, Set<Param> allowed, boolean mustReturnVoid) {
            this.annotation = annotation;
            this.allowed = allowed;
            this.mustReturnVoid = mustReturnVoid;
        }
    }

    enum Param {
        REQUEST(HttpServletRequest.class), RESPONSE(HttpServletResponse.class), ERROR(Throwable.class),
        APP(FlaskApp.class), G(io.flaskctx.G.class);

        final Class<?> type;

        Param(Class<?> type) {
            this.type = type;
        }
    }

    private final Object bean;
    private final Method method;
    private final Kind kind;
    private final Param[] params;

    private HookMethod(Object bean, Method method, Kind kind, Param[] params) {
        this.bean = bean;
        this.method = method;
        this.kind = kind;
        this.params = params;
    }

    /**
     * @throws InvalidFlaskctxConfigurationException naming the method when its signature does not fit
     */
    static HookMethod of(Object bean, Method method, Kind kind) {
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        String annotation = "@" + kind.annotation.getSimpleName();
        String allowed = kind.allowed.stream().map(p -> p.type.getSimpleName()).collect(Collectors.joining(", "));
        if (kind.mustReturnVoid && method.getReturnType() != void.class) {
            throw new InvalidFlaskctxConfigurationException(annotation + " method " + where + " returns "
                    + method.getReturnType().getSimpleName() + ", but such hooks must return void.",
                    "Make " + where + " return void" + (kind == Kind.AFTER_REQUEST
                            ? "; change the response through an HttpServletResponse parameter." : "."));
        }
        if (kind == Kind.CONTEXT_PROCESSOR && !Map.class.isAssignableFrom(method.getReturnType())) {
            throw new InvalidFlaskctxConfigurationException(annotation + " method " + where + " returns "
                    + method.getReturnType().getSimpleName() + ", but a context processor returns the variables to"
                    + " add as a Map<String, ?>.", "Make " + where + " return a Map<String, ?>, e.g. Map.of(\"user\","
                    + " user).");
        }
        Class<?>[] types = method.getParameterTypes();
        Param[] params = new Param[types.length];
        for (int i = 0; i < types.length; i++) {
            Param param = resolve(types[i], kind);
            if (param == null) {
                throw new InvalidFlaskctxConfigurationException(annotation + " method " + where + " has a parameter of"
                        + " type " + types[i].getName() + ", which flaskctx cannot supply to such a hook.",
                        "Give " + where + " only parameters of these types: " + allowed + ".");
            }
            params[i] = param;
        }
        ReflectionUtils.makeAccessible(method);
        return new HookMethod(bean, method, kind, params);
    }

    private static @Nullable Param resolve(Class<?> type, Kind kind) {
        for (Param param : kind.allowed) {
            if (type == param.type) {
                return param;
            }
        }
        return null;
    }

    /** Registers this hook on {@code app}, as one of {@code blueprint}'s hooks when that is not null. */
    void registerOn(FlaskApp app, @Nullable String blueprint) {
        switch (kind) {
            case BEFORE_REQUEST -> {
                if (blueprint == null) {
                    app.beforeRequest(new Before(app));
                } else {
                    app.beforeRequest(blueprint, new Before(app));
                }
            }
            case AFTER_REQUEST -> {
                if (blueprint == null) {
                    app.afterRequest(new After(app));
                } else {
                    app.afterRequest(blueprint, new After(app));
                }
            }
            case TEARDOWN_REQUEST -> {
                if (blueprint == null) {
                    app.teardownRequest(new Teardown(app));
                } else {
                    app.teardownRequest(blueprint, new Teardown(app));
                }
            }
            case TEARDOWN_APPCONTEXT -> app.teardownAppContext(new Teardown(app));
            case CONTEXT_PROCESSOR -> {
                if (blueprint == null) {
                    app.contextProcessor(new Processor(app));
                } else {
                    app.contextProcessor(blueprint, new Processor(app));
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    // Named adapters rather than lambdas, so that diagnostics (the actuator endpoint) can name the method.

    private final class Before implements Function<HttpServletRequest, @Nullable Object> {
        private final FlaskApp app;

        Before(FlaskApp app) {
            this.app = app;
        }

        @Override
        public @Nullable Object apply(HttpServletRequest request) {
            return invoke(app, request, null, null);
        }

        @Override
        public String toString() {
            return HookMethod.this.toString();
        }
    }

    private final class After implements Consumer<HttpServletResponse> {
        private final FlaskApp app;

        After(FlaskApp app) {
            this.app = app;
        }

        @Override
        public void accept(HttpServletResponse response) {
            invoke(app, null, response, null);
        }

        @Override
        public String toString() {
            return HookMethod.this.toString();
        }
    }

    private final class Processor implements Supplier<Map<String, ?>> {
        private final FlaskApp app;

        Processor(FlaskApp app) {
            this.app = app;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, ?> get() {
            Map<String, ?> variables = (Map<String, ?>) invoke(app, null, null, null);
            return variables != null ? variables : Map.of();
        }

        @Override
        public String toString() {
            return HookMethod.this.toString();
        }
    }

    private final class Teardown implements Consumer<Throwable> {
        private final FlaskApp app;

        Teardown(FlaskApp app) {
            this.app = app;
        }

        @Override
        public void accept(Throwable error) {
            invoke(app, null, null, error);
        }

        @Override
        public String toString() {
            return HookMethod.this.toString();
        }
    }

    private @Nullable Object invoke(FlaskApp app, @Nullable HttpServletRequest request,
            @Nullable HttpServletResponse response, @Nullable Throwable error) {
        @Nullable Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            args[i] = switch (params[i]) {
                case REQUEST -> request != null ? request : Flask.request();
                case RESPONSE -> response;
                case ERROR -> error;
                case APP -> app;
                case G -> Flask.g();
            };
        }
        try {
            return method.invoke(bean, args);
        } catch (InvocationTargetException e) {
            throw sneaky(Objects.requireNonNullElse(e.getCause(), e));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot call hook " + this, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
