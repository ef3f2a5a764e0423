package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Flask's request context ({@code flask.ctx.RequestContext}): while it is pushed on a thread, its request is
 * {@code request} there. In a Spring web application the starter pushes one for every request; push one
 * yourself in tests or when you hand a request to other code.
 *
 * <p>Pushing it also makes an app context of its app current: it reuses the current app context when that
 * belongs to the same app (so {@code g} is shared, as in Flask), and otherwise pushes a new, implicit one,
 * which it pops again. On its last pop the app's teardown-request hooks run, then the implicit app context
 * is popped with its own teardown. Pops follow the same rules as {@link AppContext}'s.
 */
public final class RequestContext extends ContextState<RequestContext> implements AutoCloseable {

    private final HttpServletRequest request;
    // On the root: the snapshot copies see once the container has taken the request back (see requestEnding).
    private volatile @Nullable HttpServletRequest detached;
    // Read without the lock first: most requests register none.
    private volatile java.util.@Nullable List<java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse>>
            afterThisRequest;
    // The app context each push made current, and whether that push created it (then its pop pops it too).
    // Most contexts are pushed once; the arrays are only needed for a context pushed again while pushed.
    private @Nullable AppContext firstAppContext;
    private boolean firstCreated;
    private @Nullable AppContext @Nullable [] laterAppContexts;
    private boolean @Nullable [] laterCreated;
    // Flask's session, opened by the first session() call rather than at push (as Flask does), so a request
    // that never uses it pays nothing until the save; copies use their root's. Set once, under the root's lock;
    // read without it once set.
    private volatile @Nullable Session session;
    // The session interface that opened the session: set before it, so whoever sees the session sees this too.
    private @Nullable SessionInterface sessionInterface;
    // Flask's request_ctx.flashes: the flashed messages once get_flashed_messages has taken them.
    private @Nullable List<Tuple> flashes;
    // On the root: the blueprint of the request's handler (Flask's request.blueprint), null for none.
    private volatile BlueprintTree.@Nullable Node blueprint;

    RequestContext(FlaskApp app, HttpServletRequest request) {
        super(app);
        this.request = request;
    }

    private RequestContext(RequestContext root, boolean carrier) {
        super(root, carrier);
        this.request = root.request;
    }

    /**
     * {@return the request; once the container has taken it back while copies of this context still run (see {@link
     * #requestEnding()}), a snapshot of it}
     */
    public HttpServletRequest request() {
        HttpServletRequest snapshot = root.detached;
        return snapshot != null ? snapshot : request;
    }

    /**
     * Tells this context that the servlet container is about to take its request back: the response is complete
     * and the request object will be recycled. When copies of the context still run (work the request started
     * and did not wait for), they, and the teardown that runs after the last of them, see from now on a
     * snapshot of the request taken here (method, URL, headers, cookies, attributes, user), where the live
     * object would throw; when no copy runs, nothing happens. The web layer calls it as each request ends;
     * call it yourself only when you run requests through something other than the starter's interceptor.
     */
    public void requestEnding() {
        RequestContext owner = root;
        Lifetime life = owner.lifetime();
        if (life != null && !life.isOver() && owner.detached == null) {
            owner.detached = new DetachedRequest(owner.request);
        }
    }

    /**
     * Flask's {@code session} of this request, opened through the app's session interface the first time it
     * is asked for, and marked accessed (which adds {@code Vary: Cookie} to the response). Copies of this
     * context share it.
     *
     * @return the session; a null session (reads as empty, refuses writes) when the app cannot keep sessions
     */
    public Session session() {
        Session current = root.openSession();
        current.markAccessed();
        return current;
    }

    /**
     * Saves the session through the session interface that opened it: the last step of Flask's
     * {@code process_response}, which the web layer runs just before the response is committed, after the
     * after hooks. A session never asked for is opened first, so that a permanent one is still refreshed, unless
     * the session interface says that saving it would do nothing ({@link SessionInterface#savesUnusedSession}).
     *
     * @param response the response, not yet committed
     */
    public void saveSession(HttpServletResponse response) {
        RequestContext owner = root;
        // Without the lock: a copy that opens the session after this read opens it after the save, as it would
        // had the save taken the lock first.
        if (owner.session == null && !app.sessionInterface().savesUnusedSession(app, request())) {
            return;
        }
        Session current = owner.openSession();
        SessionInterface store = Objects.requireNonNull(owner.sessionInterface);
        if (!store.isNullSession(current)) {
            store.save(app, current, request(), response);
        }
    }

    private Session openSession() {
        Session opened = session;
        return opened != null ? opened : openSessionLocked();
    }

    private synchronized Session openSessionLocked() {
        Session opened = session;
        if (opened == null) {
            SessionInterface store = app.sessionInterface();
            Session made = store.open(app, request());
            sessionInterface = store;
            opened = made != null ? made : store.makeNullSession(app);
            session = opened;
        }
        return opened;
    }

    /**
     * Tells this request which blueprint its handler belongs to (Flask derives {@code request.blueprint} from the
     * matched endpoint). The web layer calls it once it knows the handler, before the before hooks run; from then
     * on the app runs that blueprint's hooks for this request, and {@link Flask#blueprint()} names it.
     *
     * @param name the blueprint's name or full dotted name, registered on this context's app; null for none
     * @throws IllegalArgumentException when the app has no such blueprint
     */
    public void setBlueprint(@Nullable String name) {
        root.blueprint = name == null ? null : app.blueprint(name);
    }

    /** The blueprint of the request's handler, or null. */
    BlueprintTree.@Nullable Node blueprint() {
        return root.blueprint;
    }

    @Nullable List<Tuple> flashes() {
        return flashes;
    }

    void flashes(List<Tuple> taken) {
        flashes = taken;
    }

    /**
     * Makes this request context (and with it an app context of its app) current on the calling thread.
     *
     * @return this context, for try-with-resources
     * @throws IllegalStateException when it is pushed on another thread right now, or on the depth guard
     */
    public RequestContext push() {
        // One frame, remembered or looked up once, serves both pushes.
        return push(callerFrame());
    }

    /** {@link #push()} in {@code frame}, the calling thread's, which the caller has already found. */
    RequestContext push(Object[] frame) {
        checkThread();
        AppContext top = Globals.APP.top(frame);
        boolean created = top == null || top.app() != app;
        AppContext appContext = top != null && !created ? top
                : app.appContext(ContextOrigin.REQUEST).push(frame);
        try {
            enter(frame, app.watch());
        } catch (IllegalStateException depthExceeded) {
            if (created) {
                appContext.pop(null, frame);
            }
            throw depthExceeded;
        }
        remember(pushes() - 1, appContext, created);
        return this;
    }

    /** Pops this context with no error; see {@link #pop(Throwable)}. */
    public void pop() {
        pop(null);
    }

    /**
     * Pops this context. On its last pop the teardown-request hooks run first with {@code error}, while the
     * request is still current; then the request context is removed, and the app context this push created (if
     * any) is popped with the same {@code error}. Everything is popped even when hooks throw; the first
     * exception propagates with the others suppressed. Contexts the hooks left pushed are popped as leaks, as
     * {@link AppContext#pop(Throwable)} does.
     *
     * @param error the exception that ended the request unhandled, or null
     * @throws IllegalStateException when this is not the current request context on the calling thread, or
     *     when an app context pushed inside it is still current; nothing changes then
     * @throws ContextLeakException in strict mode, when the hooks left contexts pushed; thrown once all is popped
     */
    public void pop(@Nullable Throwable error) {
        // One frame, remembered or looked up once, serves both pops.
        pop(error, callerFrame());
    }

    /** {@link #pop(Throwable)} in {@code frame}, the calling thread's, which the caller has already found. */
    void pop(@Nullable Throwable error, Object[] frame) {
        checkCurrent(frame);
        int token = pushes() - 1;
        AppContext appContext = appContextOf(token);
        boolean created = createdAt(token);
        AppContext currentApp = Globals.APP.top(frame);
        if (currentApp != appContext) {
            throw new IllegalStateException("Cannot pop " + this + ": " + currentApp + " was pushed inside it and"
                    + " is still current. Nothing was popped and no teardown ran; pop " + currentApp + " first.");
        }
        remember(token, null, false);
        Throwable failures = null;
        if (leave() && !nothingToTearDown()) {
            failures = popLast(error, appContext.root(), frame);
        } else {
            Globals.REQUEST.pop(frame);
        }
        if (created) {
            try {
                appContext.pop(error, frame);
            } catch (Throwable failure) {
                failures = Failures.add(failures, failure);
            }
        }
        Failures.rethrow(failures);
    }

    /**
     * Runs {@code block} with this request context pushed, and pops it afterwards, passing the block's exception
     * (if any) to the teardown-request hooks and, when this push made the app context, to the
     * teardown-appcontext hooks too; the exception then propagates. Flask's
     * {@code with app.test_request_context(): ...}, which {@link #close()} cannot be: it never sees the
     * exception of a {@code try} block.
     *
     * @param block the work to do inside the request
     */
    public void run(Runnable block) {
        runWithin(block);
    }

    /**
     * Calls {@code block} with this request context pushed, and pops it afterwards, passing the block's
     * exception (if any) to the teardown hooks as {@link #run(Runnable)} does; the exception then propagates.
     *
     * @param block the work to do inside the request
     * @param <T> its result type
     * @return the block's result
     * @throws Exception what the block threw
     */
    public <T> T call(Callable<T> block) throws Exception {
        return within(block);
    }

    /** Flask's {@code after_this_request}: for this request only, kept by the root (copies share it). */
    synchronized void afterThisRequest(java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse> hook) {
        var hooks = afterThisRequest;
        if (hooks == null) {
            hooks = new java.util.ArrayList<>(2);
            afterThisRequest = hooks;
        }
        hooks.add(hook);
    }

    void runAfterThisRequest(jakarta.servlet.http.HttpServletResponse response) {
        if (afterThisRequest == null) {
            return;
        }
        java.util.List<java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse>> hooks;
        synchronized (this) {
            hooks = afterThisRequest;
            afterThisRequest = null;
        }
        if (hooks != null) {
            for (var hook : hooks) {
                app.invoke(HookKind.AFTER_THIS_REQUEST, hook, response);
            }
        }
    }

    /** A new copy of this root context for another thread: the same app and request. */
    RequestContext copy() {
        return new RequestContext(root, false);
    }

    @Override
    ContextOrigin origin() {
        return ContextOrigin.REQUEST;
    }

    @Override
    void tearDownWhereNoCopyIs(@Nullable Throwable error, AppContext appRoot) {
        AppContext currentApp = Globals.APP.top();
        AppContext appCarrier = currentApp != null && currentApp.root() == appRoot ? null
                : appRoot.carrierCopy().push();
        RequestContext carrierCopy = new RequestContext(this, true).push();
        try {
            teardownLogged(error);
        } finally {
            carrierCopy.pop();
            if (appCarrier != null) {
                appCarrier.pop();
            }
        }
    }

    /** Whether the latest push of this context made {@code appContext} current (created or reused). */
    boolean madeCurrent(@Nullable AppContext appContext) {
        return pushes() > 0 && appContext != null && latestAppContext() == appContext;
    }

    /**
     * Whether {@code appRoot} is the app context this root's first push made current, the one its owner pops after
     * it. Read through a race from another thread it may say no wrongly, never yes.
     */
    boolean pushedWith(AppContext appRoot) {
        AppContext first = firstAppContext;
        return first != null && first.root() == appRoot;
    }

    /** Whether the latest push of this context created the app context it made current. */
    boolean createdCurrentAppContext() {
        int pushes = pushes();
        return pushes > 0 && createdAt(pushes - 1);
    }

    private @Nullable AppContext latestAppContext() {
        return pushes() > 0 ? appContextOf(pushes() - 1) : null;
    }

    /** The app context push number {@code token} (0 for the first) made current; every push remembers one. */
    private AppContext appContextOf(int token) {
        @Nullable AppContext[] later = laterAppContexts;
        AppContext appContext = token == 0 ? firstAppContext : later == null ? null : later[token - 1];
        return Objects.requireNonNull(appContext, "no app context remembered for that push");
    }

    /** Whether push number {@code token} created the app context it made current. */
    private boolean createdAt(int token) {
        boolean[] later = laterCreated;
        return token == 0 ? firstCreated : later != null && later[token - 1];
    }

    private void remember(int token, @Nullable AppContext appContext, boolean created) {
        if (token == 0) {
            firstAppContext = appContext;
            firstCreated = created;
            return;
        }
        @Nullable AppContext[] contexts = laterAppContexts;
        boolean[] flags = laterCreated;
        if (contexts == null || flags == null) {
            contexts = new AppContext[4];
            flags = new boolean[4];
        } else if (token > contexts.length) {
            contexts = Arrays.copyOf(contexts, contexts.length * 2);
            flags = Arrays.copyOf(flags, flags.length * 2);
        }
        contexts[token - 1] = appContext;
        flags[token - 1] = created;
        laterAppContexts = contexts;
        laterCreated = flags;
    }

    @Override
    public String toString() {
        String where;
        try {
            HttpServletRequest current = request();
            StringBuffer url = current.getRequestURL();
            String query = current.getQueryString();
            where = "'" + url + (query == null ? "" : "?" + query) + "' [" + current.getMethod() + "]";
        } catch (RuntimeException recycled) {
            where = "(request no longer available)";
        }
        return "<RequestContext " + where + " of '" + app.name() + "' " + id() + ">";
    }
}
