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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * One annotated hook method of a bean, adapted to the functional hooks of {@link FlaskApp}. Its parameters
 * are resolved by type from a fixed set per kind of hook, checked once at start-up, when the call is also bound:
 * a method handle that takes the four things a hook can be given (app, request, response, error), picks and
 * orders the method's arguments from them, and calls the bean's method, with no argument array per call; made a
 * {@link HookCall} that the JIT can inline.
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

    // What every bound call takes, in this order (the SOURCE of each Param), and returns.
    private static final MethodType CALL = HookCall.TYPE;

    enum Param {
        REQUEST(HttpServletRequest.class, 1, "requestOrCurrent"), RESPONSE(HttpServletResponse.class, 2, null),
        ERROR(Throwable.class, 3, null), APP(FlaskApp.class, 0, null), G(io.flaskctx.G.class, 0, "currentG");

        final Class<?> type;
        // Which of CALL's parameters the argument comes from, and the static method of this class that turns that
        // into the argument (null: it is the argument).
        final int source;
        final @Nullable String adapter;

        Param(Class<?> type, int source, @Nullable String adapter) {
            this.type = type;
            this.source = source;
            this.adapter = adapter;
        }
    }

    private final Method method;
    private final Kind kind;
    private final HookCall call;

    private HookMethod(Method method, Kind kind, HookCall call) {
        this.method = method;
        this.kind = kind;
        this.call = call;
    }

    /**
     * @throws InvalidFlaskctxConfigurationException naming the method when its signature does not fit
     */
    static HookMethod of(Object bean, Method method, Kind kind) {
        return of(bean, method, kind, true);
    }

    /**
     * @param compile whether to {@link HookCall#of compile} the call where the JVM can; else it is
     *     {@link HookCall#interpreted interpreted}, as in a native image
     */
    static HookMethod of(Object bean, Method method, Kind kind, boolean compile) {
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
        MethodHandle bound = bind(bean, method, params);
        return new HookMethod(method, kind, compile ? HookCall.of(bound) : HookCall.interpreted(bound));
    }

    /** The call of {@code method} on {@code bean} as a handle of type {@link #CALL}. */
    private static MethodHandle bind(Object bean, Method method, Param[] params) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            MethodHandle target = lookup.unreflect(method);
            if (!Modifier.isStatic(method.getModifiers())) {
                target = target.bindTo(bean);
            }
            MethodHandle[] adapters = new MethodHandle[params.length];
            int[] sources = new int[params.length];
            for (int i = 0; i < params.length; i++) {
                Param param = params[i];
                sources[i] = param.source;
                if (param.adapter != null) {
                    adapters[i] = lookup.findStatic(HookMethod.class, param.adapter,
                            MethodType.methodType(param.type, CALL.parameterType(param.source)));
                }
            }
            target = MethodHandles.filterArguments(target, 0, adapters);
            return MethodHandles.permuteArguments(target, CALL.changeReturnType(target.type().returnType()), sources)
                    .asType(CALL);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call hook " + method.getDeclaringClass().getName() + "."
                    + method.getName(), e);
        }
    }

    /**
     * {@return the static methods {@link #bind} looks up by name: a native image needs a hint to invoke them, as it
     * does for the hook methods themselves ({@link HookMethodsAotProcessor})}
     */
    static List<Method> adapters() {
        List<Method> adapters = new ArrayList<>();
        for (Param param : Param.values()) {
            if (param.adapter != null) {
                try {
                    adapters.add(HookMethod.class.getDeclaredMethod(param.adapter, CALL.parameterType(param.source)));
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException("HookMethod." + param.adapter + " is missing", e);
                }
            }
        }
        return adapters;
    }

    /** A hook's request: the one it was given, else the current one (an after or teardown hook's). */
    private static HttpServletRequest requestOrCurrent(@Nullable HttpServletRequest given) {
        return given != null ? given : Flask.request();
    }

    /** A hook's {@code g}: the current app context's (the app is there only to give the adapter an argument). */
    private static G currentG(FlaskApp app) {
        return Flask.g();
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
        try {
            return call.call(app, request, response, error);
        } catch (Throwable failure) {
            // what the hook threw, as it threw it (no reflective wrapper)
            throw sneaky(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    /** {@return whether the call is compiled (see {@link HookCall}), for tests} */
    boolean compiled() {
        return !(call instanceof HookCall.Interpreted);
    }

    @Override
    public String toString() {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
