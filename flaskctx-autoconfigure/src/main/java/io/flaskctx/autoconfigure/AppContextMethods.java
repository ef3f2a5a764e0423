package io.flaskctx.autoconfigure;

import io.flaskctx.ContextOrigin;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.WithAppContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.CommandLineRunner;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Which methods run inside an app context, of which app, and where the context is said to come from: methods
 * annotated {@link WithAppContext} (or public methods of an annotated class or interface), {@code @Scheduled}
 * methods (unless {@code flaskctx.scheduling.app-context=false}) and the {@code run} method of
 * {@code CommandLineRunner}/{@code ApplicationRunner} beans (unless {@code flaskctx.runners.app-context=false}).
 * Also the list of what it wraps, for the actuator endpoint, and the start-up checks.
 */
final class AppContextMethods {

    /** One method whose calls run inside an app context. */
    static final class Wrapped {
        private final String appName;
        private final ContextOrigin origin;
        private final String description;
        private volatile @Nullable FlaskApp app;

        Wrapped(String appName, ContextOrigin origin, String description) {
            this.appName = appName;
            this.origin = origin;
            this.description = description;
        }

        ContextOrigin origin() {
            return origin;
        }

        /** The app, resolved once; the start-up check has made sure it exists. */
        FlaskApp app(FlaskApps apps) {
            FlaskApp resolved = app;
            if (resolved == null) {
                resolved = appName.isEmpty() ? apps.main() : apps.get(appName);
                app = resolved;
            }
            return resolved;
        }
    }

    private static final Log log = LogFactory.getLog(AppContextMethods.class);
    private static final Wrapped NONE = new Wrapped("", ContextOrigin.METHOD, "none");
    private static final Set<String> OBJECT_METHODS = Set.of("equals", "hashCode", "toString");

    private final boolean scheduling;
    private final boolean runners;
    private final Map<MethodClassKey, Wrapped> cache = new ConcurrentHashMap<>();
    // What proxies were made for, and what could not be wrapped, in the order beans were created.
    private final Map<String, Map<String, Object>> described = new LinkedHashMap<>();
    private final List<Wrapped> wrapped = new ArrayList<>();
    // Known once all singletons exist; beans created later are checked as they are proxied.
    private @Nullable FlaskApps apps;

    AppContextMethods(boolean scheduling, boolean runners) {
        this.scheduling = scheduling;
        this.runners = runners;
    }

    /** @return how {@code method} called on an instance of {@code targetClass} is wrapped, or null if it is not */
    @Nullable Wrapped find(Method method, @Nullable Class<?> targetClass) {
        Wrapped wrapped = cache.computeIfAbsent(new MethodClassKey(method, targetClass), key -> {
            Wrapped found = resolve(method, targetClass);
            return found == null ? NONE : found;
        });
        return wrapped == NONE ? null : wrapped;
    }

    private @Nullable Wrapped resolve(Method method, @Nullable Class<?> targetClass) {
        if (Modifier.isStatic(method.getModifiers()) || method.getDeclaringClass() == Object.class || method.isBridge()) {
            return null;
        }
        Class<?> userClass = targetClass == null ? method.getDeclaringClass() : ClassUtils.getUserClass(targetClass);
        Method specific = AopUtils.getMostSpecificMethod(method, userClass);
        WithAppContext annotation = annotationOf(specific);
        if (annotation == null && specific != method) {
            annotation = annotationOf(method);
        }
        ContextOrigin origin = isScheduled(specific) ? ContextOrigin.SCHEDULED
                : isRunner(specific, userClass) ? ContextOrigin.RUNNER : ContextOrigin.METHOD;
        String appName;
        if (annotation != null) {
            appName = annotation.app();
        } else if (origin == ContextOrigin.SCHEDULED && scheduling && !returnsLater(specific)
                || origin == ContextOrigin.RUNNER && runners) {
            appName = "";
        } else {
            return null;
        }
        return new Wrapped(appName, origin, describe(userClass, specific));
    }

    /**
     * The method's own annotation (or that of the interface method it implements), else, for a public method, that
     * of the class or interface declaring it, as {@code @Transactional} is looked up.
     */
    private static @Nullable WithAppContext annotationOf(Method method) {
        WithAppContext onMethod = AnnotatedElementUtils.findMergedAnnotation(method, WithAppContext.class);
        if (onMethod != null) {
            return onMethod;
        }
        if (!Modifier.isPublic(method.getModifiers()) || OBJECT_METHODS.contains(method.getName())
                && method.getParameterCount() <= 1 || method.getDeclaringClass().getName().startsWith("java.")) {
            return null;
        }
        return AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), WithAppContext.class);
    }

    private static boolean isScheduled(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, Scheduled.class)
                || AnnotatedElementUtils.hasAnnotation(method, Schedules.class);
    }

    private static boolean isRunner(Method method, Class<?> userClass) {
        if (!method.getName().equals("run") || method.getParameterCount() != 1) {
            return false;
        }
        Class<?> parameter = method.getParameterTypes()[0];
        return CommandLineRunner.class.isAssignableFrom(userClass) && parameter == String[].class
                || ApplicationRunner.class.isAssignableFrom(userClass) && parameter == ApplicationArguments.class;
    }

    /**
     * A reactive or suspending {@code @Scheduled} method returns before its work runs (Spring subscribes to what
     * it returns), so a context around the call would be gone when the work starts: such methods are left alone.
     */
    private static boolean returnsLater(Method method) {
        String returnType = method.getReturnType().getName();
        if (returnType.startsWith("org.reactivestreams.") || returnType.startsWith("reactor.core.publisher.")) {
            return true;
        }
        Class<?>[] parameters = method.getParameterTypes();
        return parameters.length > 0
                && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation");
    }

    private static String describe(Class<?> userClass, Method method) {
        return userClass.getName() + "." + method.getName();
    }

    /**
     * What a class needs: the methods to wrap, those that cannot be advised, and its other final methods (which a
     * class-based proxy would run on itself, an instance whose fields are all empty).
     */
    private record Inspection(List<String> errors, List<Method> unadvisable, List<Method> candidates,
            List<Method> finalMethods, boolean annotated) {

        /**
         * Only implicit wrapping is at stake (nobody asked for a proxy) and a proxy could not honour it all, or would
         * change how the bean's final methods behave: the bean stays as it is.
         */
        boolean leftAlone() {
            return !annotated && (!unadvisable.isEmpty() || !candidates.isEmpty() && !finalMethods.isEmpty());
        }
    }

    private final Map<Class<?>, Inspection> inspections = new ConcurrentHashMap<>();
    private final Set<Class<?>> reported = ConcurrentHashMap.newKeySet();

    private Inspection inspect(Class<?> userClass) {
        return inspections.computeIfAbsent(userClass, this::inspectNow);
    }

    private Inspection inspectNow(Class<?> userClass) {
        boolean lambda = userClass.isSynthetic() || userClass.isHidden();
        boolean finalClass = Modifier.isFinal(userClass.getModifiers()) && !lambda;
        List<String> errors = new ArrayList<>();
        List<Method> unadvisable = new ArrayList<>();
        List<Method> candidates = new ArrayList<>();
        List<Method> finalMethods = new ArrayList<>();
        boolean[] annotatedAny = {false};
        ReflectionUtils.doWithMethods(userClass, method -> {
            int modifiers = method.getModifiers();
            if (Modifier.isFinal(modifiers) && !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers)
                    && !lambda && !method.getDeclaringClass().getName().startsWith("java.")) {
                finalMethods.add(method);
            }
            boolean annotated = isAnnotated(method);
            boolean implicit = scheduling && isScheduled(method) && !returnsLater(method)
                    || runners && isRunner(method, userClass);
            if (!annotated && !implicit) {
                return;
            }
            annotatedAny[0] |= annotated;
            String problem = problem(method, finalClass);
            if (problem == null) {
                candidates.add(method);
            } else if (annotated) {
                errors.add(describe(userClass, method) + " is " + problem);
            } else {
                unadvisable.add(method);
            }
        }, method -> method.getDeclaringClass() != Object.class && !method.isBridge());
        return new Inspection(errors, unadvisable, candidates, finalMethods, annotatedAny[0]);
    }

    private static @Nullable String problem(Method method, boolean finalClass) {
        int modifiers = method.getModifiers();
        return Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static"
                : Modifier.isFinal(modifiers) ? "final" : finalClass ? "declared by a final class" : null;
    }

    /**
     * @return whether a proxy may be made for {@code userClass}: not for a final class (a lambda's interface can be
     *     proxied), nor when only implicit wrapping (scheduled runs, runners) is at stake and some of it cannot be
     *     advised, since a proxy would also make Spring refuse the bean's private {@code @Scheduled} methods
     */
    boolean advisable(Class<?> userClass) {
        boolean lambda = userClass.isSynthetic() || userClass.isHidden();
        return (lambda || !Modifier.isFinal(userClass.getModifiers())) && !inspect(userClass).leftAlone();
    }

    /**
     * Reports, once per class, what cannot be wrapped: an error for a {@link WithAppContext} method, a warning
     * (and a line in the endpoint) for scheduled runs and runners left without a context.
     *
     * @throws InvalidFlaskctxConfigurationException for a {@link WithAppContext} method that cannot be advised
     */
    void report(Class<?> userClass) {
        Inspection inspection = inspect(userClass);
        if (!inspection.errors().isEmpty()) {
            throw new InvalidFlaskctxConfigurationException("@WithAppContext cannot be applied to "
                    + String.join(", ", inspection.errors()) + ": flaskctx wraps such calls in a Spring AOP proxy (a"
                    + " subclass of the bean), which cannot intercept private, final or static methods, nor any method"
                    + " of a final class; the calls would run without an app context.",
                    "Make the method package-private, protected or public, and neither final nor static (and the class"
                            + " not final); or push the context by hand inside it: try (var ctx ="
                            + " app.appContext().push()) { ... }.");
        }
        if (!inspection.leftAlone() || !reported.add(userClass)) {
            return;
        }
        boolean finalClass = Modifier.isFinal(userClass.getModifiers());
        List<String> described = new ArrayList<>();
        for (Method method : inspection.unadvisable()) {
            String problem = problem(method, finalClass);
            described.add(describe(userClass, method) + " (" + problem + ")");
            record(describe(userClass, method), null, originOf(method), "it is " + problem);
        }
        String why = inspection.unadvisable().isEmpty() ? "its bean has final methods ("
                + inspection.finalMethods().stream().map(Method::getName).distinct().toList() + "), which a proxy"
                + " would run on an empty instance" : "another method of its bean cannot be advised";
        for (Method method : inspection.candidates()) {
            described.add(describe(userClass, method) + " (" + why + ")");
            record(describe(userClass, method), null, originOf(method), why);
        }
        log.warn("flaskctx cannot push an app context around " + described + ", so no method of that bean gets one: it"
                + " does so through a proxy, a subclass of the bean. Make the methods package-private or protected and"
                + " not final (and the class not final), or push a context by hand: try (var ctx ="
                + " app.appContext().push()) { ... }.");
    }

    private static ContextOrigin originOf(Method method) {
        return isScheduled(method) ? ContextOrigin.SCHEDULED : ContextOrigin.RUNNER;
    }

    /**
     * Whether {@link WithAppContext} asks for the method: on the method (or the interface method it implements), or
     * on a class or interface of the method's own for a public instance method (a final method inherited from a
     * class without the annotation is then simply not wrapped, as {@code @Transactional} does).
     */
    private static boolean isAnnotated(Method method) {
        if (AnnotatedElementUtils.hasAnnotation(method, WithAppContext.class)) {
            return true;
        }
        return Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                && !method.getDeclaringClass().getName().startsWith("java.")
                && !(OBJECT_METHODS.contains(method.getName()) && method.getParameterCount() <= 1)
                && AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), WithAppContext.class);
    }

    /**
     * Records the methods of a class that is being proxied, for the endpoint; once the apps are known, checks
     * their apps right away.
     */
    void proxied(Class<?> userClass) {
        ReflectionUtils.doWithMethods(userClass, method -> {
            Wrapped one = find(method, userClass);
            if (one != null) {
                add(one);
            }
        }, method -> method.getDeclaringClass() != Object.class && !method.isBridge()
                && !Modifier.isStatic(method.getModifiers()));
    }

    private synchronized void add(Wrapped one) {
        if (wrapped.contains(one)) {
            return;
        }
        wrapped.add(one);
        record(one.description, one.appName, one.origin, null);
        if (apps != null) {
            check(one, apps);
        }
    }

    private synchronized void record(String method, @Nullable String appName, ContextOrigin origin,
            @Nullable String notWrapped) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", method);
        entry.put("origin", origin.tag());
        if (notWrapped == null) {
            entry.put("app", appName == null || appName.isEmpty() ? null : appName);
            entry.put("wrapped", true);
        } else {
            entry.put("wrapped", false);
            entry.put("reason", notWrapped);
        }
        described.put(method + "#" + origin, entry);
    }

    /**
     * Resolves the app of every wrapped method found so far.
     *
     * @throws InvalidFlaskctxConfigurationException naming the method and the known apps, for an unknown app
     */
    synchronized void resolveApps(FlaskApps apps) {
        this.apps = apps;
        for (Wrapped one : wrapped) {
            check(one, apps);
        }
    }

    private void check(Wrapped one, FlaskApps apps) {
        if (!one.appName.isEmpty() && !apps.contains(one.appName)) {
            throw new InvalidFlaskctxConfigurationException("@WithAppContext method " + one.description
                    + " needs an app context of app '" + one.appName + "', but there is no app of that name; the"
                    + " apps are " + apps.all().stream().map(FlaskApp::name).toList() + ".",
                    "Name one of those apps in @WithAppContext(app = \"...\"), leave app out for the main app, or"
                            + " declare the app under flaskctx.apps." + one.appName + " (with its mount).");
        }
        Map<String, Object> entry = described.get(one.description + "#" + one.origin);
        if (entry != null) {
            entry.put("app", one.app(apps).name());
        }
    }

    /** @return the wrapped methods and those that could not be wrapped, for the actuator endpoint */
    synchronized List<Map<String, Object>> describe() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> entry : described.values()) {
            all.add(new LinkedHashMap<>(entry));
        }
        return all;
    }
}
