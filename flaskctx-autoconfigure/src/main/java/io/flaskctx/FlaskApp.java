package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Flask application: Flask's {@code Flask} object, reduced to what the context model needs. It has a name,
 * a {@link Config}, the hooks that run around each request, and creates the contexts that make it
 * {@code current_app}.
 *
 * <pre>{@code
 * FlaskApp app = new FlaskApp("shop");
 * app.teardownAppContext(error -> closeConnection());
 * try (var ctx = app.appContext().push()) {      // Flask: with app.app_context():
 *     Flask.g().set("db", connect());
 * }
 * }</pre>
 *
 * <p>In a Spring Boot application the starter builds the app from {@code flaskctx.*} properties and
 * registers the hook annotations of your beans on it; inject it as {@code FlaskApp}.
 */
public final class FlaskApp {

    /** The default limit on the depth of either context stack of one thread. */
    public static final int DEFAULT_MAX_CONTEXT_DEPTH = 64;

    private final String name;
    private final Config config = new Config();
    private final Hooks<Function<HttpServletRequest, @Nullable Object>> beforeRequest = new Hooks<>();
    private final Hooks<Consumer<HttpServletResponse>> afterRequest = new Hooks<>();
    private final Hooks<Consumer<Throwable>> teardownRequest = new Hooks<>();
    private final Hooks<Consumer<Throwable>> teardownAppContext = new Hooks<>();
    private volatile int maxContextDepth = DEFAULT_MAX_CONTEXT_DEPTH;
    private volatile @Nullable SignalReceiver signals;
    private final ContextStats.AppStats stats = new ContextStats.AppStats();
    // Diagnostics are the app's own: another application context in this JVM has its own apps and settings.
    private volatile boolean capturePushSites;
    private volatile boolean strict;
    private volatile boolean countingContexts;
    private final LeakReport leakReport = new LeakReport();
    private volatile SessionInterface sessionInterface = defaultSessionInterface();

    /**
     * Creates an app, as {@code Flask(__name__)} does.
     *
     * @param name the app's name ({@code current_app.name}), not blank
     */
    public FlaskApp(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A FlaskApp needs a name that is not blank");
        }
        this.name = name;
        ContextStats.register(this);
    }

    ContextStats.AppStats stats() {
        return stats;
    }

    LeakReport leakReport() {
        return leakReport;
    }

    /**
     * {@return the app's name}
     */
    public String name() {
        return name;
    }

    /**
     * {@return the app's config ({@code app.config})}
     */
    public Config config() {
        return config;
    }

    /**
     * Creates a new, unpushed app context of this app with an empty {@code g} (Flask's
     * {@code app.app_context()}).
     *
     * @return the context; push it with {@code try (var ctx = app.appContext().push()) { ... }}
     */
    public AppContext appContext() {
        return new AppContext(this, ContextOrigin.MANUAL);
    }

    /**
     * {@link #appContext()} for code that pushes contexts on behalf of others (the starter, for scheduled runs,
     * runners and {@link WithAppContext} methods): the origin only tags the context in the meters.
     *
     * @param origin where the context comes from
     * @return the context, not pushed
     */
    public AppContext appContext(ContextOrigin origin) {
        return new AppContext(this, Objects.requireNonNull(origin, "origin"));
    }

    /**
     * Creates a new, unpushed request context of this app for {@code request}. Pushing it also makes an app
     * context of this app current (see {@link RequestContext#push()}).
     *
     * @param request the request it stands for
     * @return the context
     */
    public RequestContext requestContext(HttpServletRequest request) {
        return new RequestContext(this, Objects.requireNonNull(request, "request"));
    }

    /**
     * Registers a function to run before each request, in registration order (Flask's
     * {@code before_request}). A non-null result ends the request with that result as the response: later
     * before hooks and the handler are skipped, the after hooks still run.
     *
     * @param hook receives the request; returns null to continue
     */
    public void beforeRequest(Function<HttpServletRequest, @Nullable Object> hook) {
        beforeRequest.add(hook);
    }

    /**
     * Registers a function to run after each request that produced a response, in reverse registration order
     * (Flask's {@code after_request}); it may set headers and the status, as the response is not yet committed.
     *
     * @param hook receives the response
     */
    public void afterRequest(Consumer<HttpServletResponse> hook) {
        afterRequest.add(hook);
    }

    /**
     * Registers a function to run when each request context is popped, in reverse registration order
     * (Flask's {@code teardown_request}). It receives the exception that ended the request unhandled, or null.
     * Every teardown hook runs even when one throws.
     *
     * @param hook receives the unhandled exception or null
     */
    public void teardownRequest(Consumer<Throwable> hook) {
        teardownRequest.add(hook);
    }

    /**
     * Registers a function to run when each app context of this app is popped for the last time, in reverse
     * registration order (Flask's {@code teardown_appcontext}). It receives the exception that ended the
     * context's block, or null. Every teardown hook runs even when one throws.
     *
     * @param hook receives the exception or null
     */
    public void teardownAppContext(Consumer<Throwable> hook) {
        teardownAppContext.add(hook);
    }

    /**
     * Runs the before-request hooks in registration order until one returns a value (Flask's
     * {@code preprocess_request}).
     *
     * @param request the current request
     * @return the first non-null hook result, or null when every hook let the request continue
     */
    @SuppressWarnings("unchecked")
    public @Nullable Object preprocessRequest(HttpServletRequest request) {
        for (Object hook : beforeRequest.all()) {
            Object result = ((Function<HttpServletRequest, @Nullable Object>) hook).apply(request);
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /**
     * Runs the after-request hooks in reverse registration order (Flask's {@code process_response}). As in
     * Flask, a hook that throws stops the ones after it, and the exception propagates.
     *
     * @param response the response, not yet committed
     */
    @SuppressWarnings("unchecked")
    public void processResponse(HttpServletResponse response) {
        // Flask runs the request's after_this_request functions first, in their own order.
        RequestContext current = Globals.REQUEST.top();
        if (current != null) {
            current.root().runAfterThisRequest(response);
        }
        Object[] hooks = afterRequest.all();
        for (int i = hooks.length - 1; i >= 0; i--) {
            ((Consumer<HttpServletResponse>) hooks[i]).accept(response);
        }
    }

    /**
     * Runs the teardown-request hooks in reverse registration order (Flask's {@code do_teardown_request}).
     * Unlike Flask, a hook that throws does not skip the others: all run, and the first exception is thrown
     * afterwards with the later ones attached as suppressed.
     *
     * @param error the unhandled exception, or null
     */
    public void doTeardownRequest(@Nullable Throwable error) {
        try {
            runTeardown(teardownRequest, error);
        } finally {
            SignalReceiver receiver = signals;
            if (receiver != null) {
                receiver.requestTearingDown(this, error);
            }
        }
    }

    /**
     * Runs the teardown-appcontext hooks in reverse registration order (Flask's {@code do_teardown_appcontext}),
     * every one even when one throws; see {@link #doTeardownRequest}.
     *
     * @param error the exception that ended the context, or null
     */
    public void doTeardownAppContext(@Nullable Throwable error) {
        try {
            runTeardown(teardownAppContext, error);
        } finally {
            SignalReceiver receiver = signals;
            if (receiver != null) {
                receiver.appcontextTearingDown(this, error);
            }
        }
    }

    /** Whether code of the user may run when a context of that type tears down: hooks, or signal receivers. */
    boolean runsCodeOnTeardown(ContextType type) {
        return signals != null || !(type == ContextType.APP ? teardownAppContext : teardownRequest).isEmpty();
    }

    /**
     * {@return what receives this app's signals, or null when nothing listens (then sending costs a null check)}
     */
    public @Nullable SignalReceiver signalReceiver() {
        return signals;
    }

    /**
     * Installs what receives this app's signals (Flask's {@code flask.signals}); the starter installs a Spring
     * event publisher when some listener wants them.
     *
     * @param receiver the receiver, or null for none
     */
    public void setSignalReceiver(@Nullable SignalReceiver receiver) {
        this.signals = receiver;
    }

    @SuppressWarnings("unchecked")
    private void runTeardown(Hooks<Consumer<Throwable>> hooks, @Nullable Throwable error) {
        Object[] all = hooks.all();
        if (all.length == 0) {
            return;
        }
        Throwable failures = null;
        for (int i = all.length - 1; i >= 0; i--) {
            try {
                ((Consumer<Throwable>) all[i]).accept(error);
            } catch (Throwable failure) {
                ContextStats.countTeardownError(this);
                failures = Failures.add(failures, failure);
            }
        }
        Failures.rethrow(failures);
    }

    /**
     * Describes the registered hooks for diagnostics (the actuator endpoint), by Flask's names
     * ({@code before_request}, {@code after_request}, {@code teardown_request}, {@code teardown_appcontext}),
     * each list in the order the hooks run.
     *
     * @return hook kind to hook descriptions
     */
    public Map<String, List<String>> describeHooks() {
        Map<String, List<String>> hooks = new LinkedHashMap<>();
        hooks.put("before_request", describe(beforeRequest.all(), false));
        hooks.put("after_request", describe(afterRequest.all(), true));
        hooks.put("teardown_request", describe(teardownRequest.all(), true));
        hooks.put("teardown_appcontext", describe(teardownAppContext.all(), true));
        return hooks;
    }

    private static List<String> describe(Object[] hooks, boolean reversed) {
        List<String> names = new ArrayList<>(hooks.length);
        for (Object hook : hooks) {
            String name = hook.toString();
            int lambda = name.indexOf("$$Lambda");
            names.add(lambda >= 0 ? "lambda in " + name.substring(0, lambda) : name);
        }
        if (reversed) {
            Collections.reverse(names);
        }
        return names;
    }

    /**
     * {@return the most contexts of one kind a thread may hold at once while pushing this app's contexts}
     */
    public int maxContextDepth() {
        return maxContextDepth;
    }

    /**
     * Sets the depth guard: a push that would make either context stack of a thread deeper than this throws,
     * because such depth almost always means contexts are pushed and never popped.
     *
     * @param maxContextDepth at least 1; default {@value #DEFAULT_MAX_CONTEXT_DEPTH}
     */
    public void setMaxContextDepth(int maxContextDepth) {
        if (maxContextDepth < 1) {
            throw new IllegalArgumentException("maxContextDepth must be at least 1, not " + maxContextDepth);
        }
        this.maxContextDepth = maxContextDepth;
    }

    /**
     * Flask's {@code app.session_interface}: where this app keeps its sessions. By default signed cookies,
     * as in Flask ({@link io.flaskctx.session.SecureCookieSessionInterface}; sessions need {@code SECRET_KEY} in
     * the config).
     *
     * @return the session interface
     */
    public SessionInterface sessionInterface() {
        return sessionInterface;
    }

    /**
     * Replaces the session interface; requests that have already opened their session keep the old one's.
     *
     * @param sessionInterface the new one, e.g. {@link io.flaskctx.session.ServletSessionInterface}
     */
    public void setSessionInterface(SessionInterface sessionInterface) {
        this.sessionInterface = Objects.requireNonNull(sessionInterface, "sessionInterface");
    }

    /**
     * {@return whether pushes of this app's contexts record where they happened}
     */
    public boolean capturesPushSites() {
        return capturePushSites;
    }

    /**
     * Whether every push of this app's contexts records its stack trace, so that leak reports, wrong-order pops
     * and the depth guard name the line of code that pushed each context (flaskctx only; Flask has no
     * counterpart). Off by default: a stack trace per push is cheap enough for tests and staging, not for
     * production traffic. Pushes made before the change keep what they recorded.
     *
     * @param capture whether to record push sites from now on
     */
    public void setCapturePushSites(boolean capture) {
        this.capturePushSites = capture;
    }

    /**
     * {@return whether a leaked context of this app is an error rather than only a warning}
     */
    public boolean isStrict() {
        return strict;
    }

    /**
     * Strict mode (flaskctx only; Flask leaks silently): the pop of a context of this app whose teardown hooks
     * left contexts pushed throws {@link ContextLeakException}, once everything is popped; the web layer fails
     * a request that leaks. Either way the leaked contexts are popped, counted and logged. For tests and CI.
     *
     * @param strict whether leaks fail
     */
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    /**
     * {@return whether pushes, pops and stack depths of this app's contexts are counted in {@link ContextStats}}
     */
    public boolean isCountingContexts() {
        return countingContexts;
    }

    /**
     * Starts or stops counting pushes, pops and stack depths of this app's contexts in {@link ContextStats} (the
     * starter turns it on where its meters or actuator endpoint are). Leaks, teardown errors and pending copies
     * are counted always. Contexts pushed while it was off are not counted when they pop.
     *
     * @param counting whether to count
     */
    public void setCountingContexts(boolean counting) {
        this.countingContexts = counting;
    }

    /**
     * Flask's default store, signed cookies, as a new instance per app. It is found through the
     * {@link ServiceLoader} ({@code io.flaskctx.session} registers it) so that the core does not depend on the
     * package that implements it; without it, every request gets a null session.
     */
    private static SessionInterface defaultSessionInterface() {
        ServiceLoader.Provider<SessionInterface> provider = DefaultStore.PROVIDER;
        return provider != null ? provider.get() : DefaultStore.NONE;
    }

    /** Looked up once, when the first app is built. */
    private static final class DefaultStore {
        static final ServiceLoader.@Nullable Provider<SessionInterface> PROVIDER = ServiceLoader
                .load(SessionInterface.class, FlaskApp.class.getClassLoader()).stream().findFirst().orElse(null);
        static final SessionInterface NONE = new SessionInterface() {
            @Override
            public @Nullable Session open(FlaskApp app, HttpServletRequest request) {
                return null;
            }

            @Override
            public void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response) {
            }
        };
    }

    @Override
    public String toString() {
        return "<FlaskApp '" + name + "'>";
    }
}
