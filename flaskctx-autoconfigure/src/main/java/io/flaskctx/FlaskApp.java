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
import java.util.function.Supplier;
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
    private final Hooks<Supplier<Map<String, ?>>> contextProcessors = new Hooks<>();
    private final BlueprintTree blueprints = new BlueprintTree();
    private final ContextStats.AppStats stats = new ContextStats.AppStats();
    // The depth guard, diagnostics and observers, replaced as a whole when one changes (they are set when the app
    // is built), so that a push reads one field. They are the app's own: another application context in this JVM
    // has its own apps and settings.
    private volatile ContextWatch watch = ContextWatch.DEFAULT;
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

    /** What watches this app's contexts, read once per push or pop. */
    ContextWatch watch() {
        return watch;
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
        rebuildBlueprintChains();
    }

    /**
     * Registers a function to run after each request that produced a response, in reverse registration order
     * (Flask's {@code after_request}); it may set headers and the status, as the response is not yet committed.
     *
     * @param hook receives the response
     */
    public void afterRequest(Consumer<HttpServletResponse> hook) {
        afterRequest.add(hook);
        rebuildBlueprintChains();
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
        rebuildBlueprintChains();
        watchTeardownHooks();
    }

    /**
     * Registers a blueprint of this app (Flask's {@code app.register_blueprint(bp)}, or
     * {@code parent.register_blueprint(bp)} for a nested one). A request whose handler belongs to it (see
     * {@link RequestContext#setBlueprint}) runs, in Flask's order: the app's before hooks, then each blueprint's
     * from the outermost to its own; after and teardown hooks the other way round, its own first, the app's last.
     * Registering the same name with the same parent again does nothing.
     *
     * @param name the blueprint's name: not blank, no dot
     * @param parent the name of the blueprint it is nested in, already registered; null or empty for none
     * @throws IllegalArgumentException for a bad name, an unknown parent, or a name registered with another parent
     */
    public void registerBlueprint(String name, String parent) {
        blueprints.register(name, parent, appHooks());
    }

    /**
     * Registers a before-request hook of one blueprint (Flask's {@code bp.before_request}): it runs only for
     * requests of that blueprint or of one nested in it, after the app's; see {@link #beforeRequest(Function)}.
     *
     * @param blueprint the blueprint's name (or its full dotted name), registered already
     * @param hook receives the request; returns null to continue
     * @throws IllegalArgumentException when no such blueprint is registered
     */
    public void beforeRequest(String blueprint, Function<HttpServletRequest, @Nullable Object> hook) {
        blueprints.get(blueprint).before.add(hook);
        rebuildBlueprintChains();
    }

    /**
     * Registers an after-request hook of one blueprint (Flask's {@code bp.after_request}); it runs before the
     * app's; see {@link #afterRequest(Consumer)}.
     *
     * @param blueprint the blueprint's name (or its full dotted name), registered already
     * @param hook receives the response
     * @throws IllegalArgumentException when no such blueprint is registered
     */
    public void afterRequest(String blueprint, Consumer<HttpServletResponse> hook) {
        blueprints.get(blueprint).after.add(hook);
        rebuildBlueprintChains();
    }

    /**
     * Registers a teardown-request hook of one blueprint (Flask's {@code bp.teardown_request}); it runs before
     * the app's; see {@link #teardownRequest(Consumer)}.
     *
     * @param blueprint the blueprint's name (or its full dotted name), registered already
     * @param hook receives the unhandled exception or null
     * @throws IllegalArgumentException when no such blueprint is registered
     */
    public void teardownRequest(String blueprint, Consumer<Throwable> hook) {
        blueprints.get(blueprint).teardown.add(hook);
        rebuildBlueprintChains();
        watchTeardownHooks();
    }

    /** {@return the full (dotted) names of this app's blueprints, in registration order} */
    public List<String> blueprints() {
        return blueprints.names();
    }

    BlueprintTree.Node blueprint(String name) {
        return blueprints.get(name);
    }

    private void rebuildBlueprintChains() {
        blueprints.rebuild(appHooks());
    }

    private Object[][] appHooks() {
        return new Object[][] {beforeRequest.all(), afterRequest.all(), teardownRequest.all(), contextProcessors.all()};
    }

    /**
     * Registers a function whose variables are added to every template rendered in a request (Flask's
     * {@code app.context_processor}); see {@link #updateTemplateContext}.
     *
     * @param processor returns the variables to add; runs once per rendered template
     */
    public void contextProcessor(Supplier<Map<String, ?>> processor) {
        contextProcessors.add(processor);
        rebuildBlueprintChains();
    }

    /**
     * Registers a context processor of one blueprint (Flask's {@code bp.context_processor}): it serves only
     * requests of that blueprint or of one nested in it, after the app's.
     *
     * @param blueprint the blueprint's name (or its full dotted name), registered already
     * @param processor returns the variables to add
     * @throws IllegalArgumentException when no such blueprint is registered
     */
    public void contextProcessor(String blueprint, Supplier<Map<String, ?>> processor) {
        blueprints.get(blueprint).processors.add(processor);
        rebuildBlueprintChains();
    }

    /**
     * Flask's {@code app.update_template_context(context)}: adds to the variables a template is rendered with what
     * Flask templates see without the view passing it: {@code g} (as a read-only map), {@code request},
     * {@code session} (Flask's, this request's), {@code config}, {@code current_app}, then the variables of the
     * context processors (the app's, then those of the request's blueprints from the outermost to the innermost).
     * The view's own variables win
     * over all of them, and a later processor over an earlier one. Outside a request context only {@code config},
     * {@code current_app} and the app's processors are added.
     *
     * @param context the view's variables (a modifiable map), updated in place
     */
    @SuppressWarnings("unchecked")
    public void updateTemplateContext(Map<String, Object> context) {
        Map<String, Object> viewPassed = new LinkedHashMap<>(context);
        RequestContext top = Globals.REQUEST.top();
        RequestContext request = top != null && top.app() == this ? top : null;
        context.put("config", config);
        context.put("current_app", this);
        if (request != null) {
            context.put("g", new TemplateG(Flask.g()));
            context.put("request", request.request());
            // The proxy, not the session: as in Flask, only a template that reads it marks it accessed (Vary: Cookie).
            context.put("session", Session.proxy());
        }
        BlueprintTree.@Nullable Node blueprint = blueprintOf(request);
        for (Object processor : blueprint != null ? blueprint.processorChain : contextProcessors.all()) {
            Map<String, ?> added = ((Supplier<Map<String, ?>>) processor).get();
            if (added != null) {
                context.putAll(added);
            }
        }
        context.putAll(viewPassed);
    }

    /** The blueprint of this app's request current on this thread, or null (no request, or none matched). */
    private BlueprintTree.@Nullable Node currentBlueprint() {
        return blueprintOf(Globals.REQUEST.top());
    }

    /** The blueprint of that request context when it is this app's, else null; reuses a lookup already made. */
    private BlueprintTree.@Nullable Node blueprintOf(@Nullable RequestContext current) {
        return current != null && current.app() == this ? current.root().blueprint() : null;
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
        watchTeardownHooks();
    }

    /**
     * Runs the before-request hooks in registration order until one returns a value (Flask's
     * {@code preprocess_request}).
     *
     * @param request the current request
     * @return the first non-null hook result, or null when every hook let the request continue
     */
    public @Nullable Object preprocessRequest(HttpServletRequest request) {
        BlueprintTree.@Nullable Node blueprint = currentBlueprint();
        Object[] hooks = blueprint != null ? blueprint.beforeChain : beforeRequest.all();
        for (Object hook : hooks) {
            Object result = invokeBefore(hook, request);
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
    public void processResponse(HttpServletResponse response) {
        // Flask runs the request's after_this_request functions first, in their own order.
        RequestContext current = Globals.REQUEST.top();
        if (current != null) {
            current.root().runAfterThisRequest(response);
        }
        BlueprintTree.@Nullable Node blueprint = blueprintOf(current);
        Object[] hooks = blueprint != null ? blueprint.afterChain : afterRequest.all();
        for (int i = hooks.length - 1; i >= 0; i--) {
            invoke(HookKind.AFTER_REQUEST, hooks[i], response);
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
            BlueprintTree.@Nullable Node blueprint = currentBlueprint();
            Object[] hooks = blueprint != null ? blueprint.teardownChain : teardownRequest.all();
            runTeardown(HookKind.TEARDOWN_REQUEST, hooks, error);
        } finally {
            SignalReceiver receiver = watch.signals;
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
            runTeardown(HookKind.TEARDOWN_APPCONTEXT, teardownAppContext.all(), error);
        } finally {
            SignalReceiver receiver = watch.signals;
            if (receiver != null) {
                receiver.appcontextTearingDown(this, error);
            }
        }
    }

    /** Whether code of the user may run when a context of that type tears down: hooks, or signal receivers. */
    boolean runsCodeOnTeardown(ContextType type) {
        return watch.runsCodeOnTeardown(type);
    }

    /** Records in the watch which teardown hooks exist, after every registration that may add one. */
    private synchronized void watchTeardownHooks() {
        watch = watch.withTeardownHooks(!teardownAppContext.isEmpty(),
                !teardownRequest.isEmpty() || blueprints.hasTeardownHooks());
    }

    /**
     * {@return what receives this app's signals, or null when nothing listens (then sending costs a null check)}
     */
    public @Nullable SignalReceiver signalReceiver() {
        return watch.signals;
    }

    /**
     * Installs what receives this app's signals (Flask's {@code flask.signals}); the starter installs a Spring
     * event publisher when some listener wants them.
     *
     * @param receiver the receiver, or null for none
     */
    public synchronized void setSignalReceiver(@Nullable SignalReceiver receiver) {
        watch = watch.withSignals(receiver);
    }

    private void runTeardown(HookKind kind, Object[] all, @Nullable Throwable error) {
        if (all.length == 0) {
            return;
        }
        Throwable failures = null;
        for (int i = all.length - 1; i >= 0; i--) {
            try {
                invoke(kind, all[i], error);
            } catch (Throwable failure) {
                ContextStats.countTeardownError(this);
                failures = Failures.add(failures, failure);
            }
        }
        Failures.rethrow(failures);
    }

    // One invocation of one hook each: the only place a hook is called, so that an observer sees every call.
    // Without an observer: one field read and the call itself, nothing allocated.

    @SuppressWarnings("unchecked")
    private @Nullable Object invokeBefore(Object hook, HttpServletRequest request) {
        Function<HttpServletRequest, @Nullable Object> before = (Function<HttpServletRequest, @Nullable Object>) hook;
        HookObserver observer = watch.hookObserver;
        if (observer == null) {
            return before.apply(request);
        }
        HookObserver.Invocation invocation = observer.start(this, HookKind.BEFORE_REQUEST, hook);
        @Nullable Object result;
        try {
            result = before.apply(request);
        } catch (Throwable failure) {
            invocation.stop(null, failure);
            throw failure;
        }
        invocation.stop(result, null);
        return result;
    }

    /**
     * An after_request or after_this_request hook (a {@code Consumer} of the response), or a teardown hook (a
     * {@code Consumer} of the error).
     */
    @SuppressWarnings("unchecked")
    <T> void invoke(HookKind kind, Object hook, @Nullable T argument) {
        Consumer<T> consumer = (Consumer<T>) hook;
        HookObserver observer = watch.hookObserver;
        if (observer == null) {
            consumer.accept(argument);
            return;
        }
        HookObserver.Invocation invocation = observer.start(this, kind, hook);
        try {
            consumer.accept(argument);
        } catch (Throwable failure) {
            invocation.stop(null, failure);
            throw failure;
        }
        invocation.stop(null, null);
    }

    /** {@return what watches this app's hook invocations, or null when nothing does} */
    public @Nullable HookObserver hookObserver() {
        return watch.hookObserver;
    }

    /**
     * Installs what watches every invocation of this app's hooks (flaskctx only): the starter installs one that
     * makes each a Micrometer {@code Observation} where an {@code ObservationRegistry} is present. Set it once,
     * when the app is built, before requests arrive.
     *
     * @param observer the observer, or null for none (hooks are then called directly, at no cost)
     */
    public synchronized void setHookObserver(HookObserver observer) {
        watch = watch.withHookObserver(observer);
    }

    /** {@return what follows this app's app contexts, or null when nothing does} */
    public @Nullable ContextListener contextListener() {
        return watch.listener;
    }

    /**
     * Adds a listener to this app's app contexts (flaskctx only): pushes, pops, teardowns and changes of
     * {@code g}, on the threads where they happen. The starter adds one for {@code flaskctx.logging.mdc-keys} and
     * one for the {@code flaskctx.appcontext} observation. Add listeners when the app is built, before contexts
     * are pushed: a listener added while a context is pushed hears its pop but not its push.
     *
     * @param listener the listener; listeners are told in the order they were added
     */
    public synchronized void addContextListener(ContextListener listener) {
        Objects.requireNonNull(listener, "listener");
        ContextListener current = watch.listener;
        watch = watch.withListener(current == null ? listener : new ContextListeners(current, listener));
    }

    /**
     * Describes the registered hooks for diagnostics (the actuator endpoint), by Flask's names
     * ({@code before_request}, {@code after_request}, {@code teardown_request}, {@code teardown_appcontext}),
     * each list in the order the hooks run; then, per blueprint ({@code before_request[admin]}...), what a request
     * of that blueprint runs.
     *
     * @return hook kind to hook descriptions
     */
    public Map<String, List<String>> describeHooks() {
        Map<String, List<String>> hooks = new LinkedHashMap<>();
        hooks.put("before_request", describe(beforeRequest.all(), false));
        hooks.put("after_request", describe(afterRequest.all(), true));
        hooks.put("teardown_request", describe(teardownRequest.all(), true));
        hooks.put("teardown_appcontext", describe(teardownAppContext.all(), true));
        for (BlueprintTree.Node blueprint : blueprints.nodes()) {
            // What a request of the blueprint runs, app's hooks included, in the order they run.
            hooks.put("before_request[" + blueprint.fullName + "]", describe(blueprint.beforeChain, false));
            hooks.put("after_request[" + blueprint.fullName + "]", describe(blueprint.afterChain, true));
            hooks.put("teardown_request[" + blueprint.fullName + "]", describe(blueprint.teardownChain, true));
        }
        return hooks;
    }

    private static List<String> describe(Object[] hooks, boolean reversed) {
        List<String> names = new ArrayList<>(hooks.length);
        for (Object hook : hooks) {
            names.add(HookObserver.nameOf(hook));
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
        return watch.maxDepth;
    }

    /**
     * Sets the depth guard: a push that would make either context stack of a thread deeper than this throws,
     * because such depth almost always means contexts are pushed and never popped.
     *
     * @param maxContextDepth at least 1; default {@value #DEFAULT_MAX_CONTEXT_DEPTH}
     */
    public synchronized void setMaxContextDepth(int maxContextDepth) {
        if (maxContextDepth < 1) {
            throw new IllegalArgumentException("maxContextDepth must be at least 1, not " + maxContextDepth);
        }
        watch = watch.withMaxDepth(maxContextDepth);
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
        return watch.capturePushSites;
    }

    /**
     * Whether every push of this app's contexts records its stack trace, so that leak reports, wrong-order pops
     * and the depth guard name the line of code that pushed each context (flaskctx only; Flask has no
     * counterpart). Off by default: a stack trace per push is cheap enough for tests and staging, not for
     * production traffic. Pushes made before the change keep what they recorded.
     *
     * @param capture whether to record push sites from now on
     */
    public synchronized void setCapturePushSites(boolean capture) {
        watch = watch.withCapturePushSites(capture);
    }

    /**
     * {@return whether a leaked context of this app is an error rather than only a warning}
     */
    public boolean isStrict() {
        return watch.strict;
    }

    /**
     * Strict mode (flaskctx only; Flask leaks silently): the pop of a context of this app whose teardown hooks
     * left contexts pushed throws {@link ContextLeakException}, once everything is popped; the web layer fails
     * a request that leaks. Either way the leaked contexts are popped, counted and logged. For tests and CI.
     *
     * @param strict whether leaks fail
     */
    public synchronized void setStrict(boolean strict) {
        watch = watch.withStrict(strict);
    }

    /**
     * {@return whether pushes, pops and stack depths of this app's contexts are counted in {@link ContextStats}}
     */
    public boolean isCountingContexts() {
        return watch.counting;
    }

    /**
     * Starts or stops counting pushes, pops and stack depths of this app's contexts, and their copies for other
     * threads, in {@link ContextStats} (the starter turns it on where its meters or actuator endpoint are). Leaks
     * and teardown errors are counted always. Contexts pushed while it was off are not counted when they pop; a
     * context's copies count when it was first copied while it was on.
     *
     * @param counting whether to count
     */
    public synchronized void setCountingContexts(boolean counting) {
        watch = watch.withCounting(counting);
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
