package io.flaskctx;

import io.flaskctx.session.SessionInterface;
import io.flaskctx.session.Tuple;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

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
public final class RequestContext implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(RequestContext.class.getName());
    private static final VarHandle LIFETIME;

    static {
        try {
            LIFETIME = MethodHandles.lookup().findVarHandle(RequestContext.class, "lifetime", Lifetime.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlaskApp app;
    private final HttpServletRequest request;
    // This context, or the one it is a copy of (the same request, on another thread).
    private final RequestContext root;
    // A copy pushed only to run a deferred teardown: it holds no share.
    private final boolean carrier;
    // Created by the first copy of this (root) context.
    private volatile Lifetime lifetime;
    // On the root: the snapshot copies see once the container has taken the request back (see requestEnding).
    private volatile HttpServletRequest detached;
    private java.util.List<java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse>> afterThisRequest;
    private int pushes;
    private int countedPushes;
    private Thread thread;
    private PushSites.PushSite pushSite;
    // The app context each push made current, and whether that push created it (then its pop pops it too).
    // Most contexts are pushed once; the arrays are only needed for a context pushed again while pushed.
    private AppContext firstAppContext;
    private boolean firstCreated;
    private AppContext[] laterAppContexts;
    private boolean[] laterCreated;
    // Flask's session, opened by the first session() call rather than at push (as Flask does), so a request
    // that never uses it pays nothing until the save; copies use their root's. Guarded by the root's lock.
    private Session session;
    private SessionInterface sessionInterface;
    // Flask's request_ctx.flashes: the flashed messages once get_flashed_messages has taken them.
    private List<Tuple> flashes;

    RequestContext(FlaskApp app, HttpServletRequest request) {
        this.app = app;
        this.request = request;
        this.root = this;
        this.carrier = false;
    }

    private RequestContext(RequestContext root, boolean carrier) {
        this.app = root.app;
        this.request = root.request;
        this.root = root;
        this.carrier = carrier;
    }

    /** @return the app this request belongs to */
    public FlaskApp app() {
        return app;
    }

    /**
     * @return the request; once the container has taken it back while copies of this context still run (see
     *     {@link #requestEnding()}), a snapshot of it
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
        Lifetime life = owner.lifetime;
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
     * after hooks. A session never asked for is opened first, so that a permanent one is still refreshed.
     *
     * @param response the response, not yet committed
     */
    public void saveSession(HttpServletResponse response) {
        RequestContext owner = root;
        Session current = owner.openSession();
        SessionInterface store;
        synchronized (owner) {
            store = owner.sessionInterface;
        }
        if (!store.isNullSession(current)) {
            store.save(app, current, request(), response);
        }
    }

    private synchronized Session openSession() {
        if (session == null) {
            SessionInterface store = app.sessionInterface();
            Session opened = store.open(app, request());
            session = opened != null ? opened : store.makeNullSession(app);
            sessionInterface = store;
        }
        return session;
    }

    List<Tuple> flashes() {
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
        Thread current = Thread.currentThread();
        if (pushes > 0 && thread != current) {
            throw Globals.pushedElsewhere(this, thread);
        }
        AppContext appContext = Globals.APP.top();
        boolean created = appContext == null || appContext.app() != app;
        if (created) {
            appContext = app.appContext().push();
        }
        int max = app.maxContextDepth();
        int depth = Globals.REQUEST.push(this);
        if (depth > max) {
            Globals.REQUEST.pop();
            if (created) {
                appContext.pop();
            }
            throw Globals.depthExceeded(this, Globals.REQUEST, max);
        }
        remember(pushes, appContext, created);
        if (pushes == 0 && lifetime != null) {
            lifetime.restart();
        }
        thread = current;
        pushes++;
        pushSite = PushSites.here(this);
        if (ContextStats.countPush(app, ContextType.REQUEST, depth)) {
            countedPushes++;
        }
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
     * exception propagates with the others suppressed.
     *
     * @param error the exception that ended the request unhandled, or null
     * @throws IllegalStateException when this is not the current request context on the calling thread, or
     *     when an app context pushed inside it is still current; nothing changes then
     */
    public void pop(Throwable error) {
        if (Globals.REQUEST.top() != this) {
            throw Globals.wrongPop("request", this, Globals.REQUEST);
        }
        int token = pushes - 1;
        AppContext appContext = token == 0 ? firstAppContext : laterAppContexts[token - 1];
        boolean created = token == 0 ? firstCreated : laterCreated[token - 1];
        AppContext currentApp = Globals.APP.top();
        if (currentApp != appContext) {
            throw new IllegalStateException("Cannot pop " + this + ": " + currentApp + " was pushed inside it and"
                    + " is still current. Nothing was popped and no teardown ran; pop " + currentApp + " first.");
        }
        remember(token, null, false);
        pushes = token;
        if (countedPushes > 0) {
            countedPushes--;
            ContextStats.countPop(app, ContextType.REQUEST);
        }
        Throwable failures = null;
        if (token == 0) {
            thread = null;
            pushSite = null;
            try {
                if (root != this) {
                    // A copy ends: its share of the original ends with it; the last one runs the teardown.
                    if (!carrier) {
                        root.releaseShare(appContext.root());
                    }
                } else {
                    Lifetime life = lifetime;
                    if (life == null || life.end(error)) {
                        app.doTeardownRequest(error);
                    }
                }
            } catch (Throwable failure) {
                failures = Failures.add(failures, failure);
            }
        }
        Globals.REQUEST.pop();
        if (created) {
            try {
                appContext.pop(error);
            } catch (Throwable failure) {
                failures = Failures.add(failures, failure);
            }
        }
        Failures.rethrow(failures);
    }

    /** Pops this context (the end of a try-with-resources block). */
    @Override
    public void close() {
        pop(null);
    }

    /** A copy's error, for the teardown of the original when the owner ended without one. */
    void offerError(Throwable error) {
        Lifetime.offerError(root.lifetime, error);
    }

    /** Flask's {@code after_this_request}: for this request only, kept by the root (copies share it). */
    synchronized void afterThisRequest(java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse> hook) {
        if (afterThisRequest == null) {
            afterThisRequest = new java.util.ArrayList<>(2);
        }
        afterThisRequest.add(hook);
    }

    void runAfterThisRequest(jakarta.servlet.http.HttpServletResponse response) {
        java.util.List<java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse>> hooks;
        synchronized (this) {
            hooks = afterThisRequest;
            afterThisRequest = null;
        }
        if (hooks != null) {
            for (var hook : hooks) {
                hook.accept(response);
            }
        }
    }

    /** The root of this context's copies: this context, or the one it was copied from. */
    RequestContext root() {
        return root;
    }

    /** A new copy of this root context for another thread: the same app and request. */
    RequestContext copy() {
        return new RequestContext(root, false);
    }

    /** @return false when the context has already torn down; see {@link AppContext#acquireShare()} */
    boolean acquireShare() {
        return Lifetime.acquire(LIFETIME, this);
    }

    /**
     * Releases a share; the last one after the owner's pop runs the teardown-request hooks here, with the
     * request current.
     *
     * @param appRoot the app context the copies ran in, made current around a teardown that runs where no copy is
     */
    void releaseShare(AppContext appRoot) {
        if (!lifetime.release()) {
            return;
        }
        Throwable error = lifetime.error();
        RequestContext top = Globals.REQUEST.top();
        if (top != null && top.root == this) {
            teardownLogged(error);
            return;
        }
        AppContext appCarrier = Globals.APP.top() != null && Globals.APP.top().root() == appRoot ? null
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

    private void teardownLogged(Throwable error) {
        try {
            app.doTeardownRequest(error);
        } catch (RuntimeException | Error failure) {
            logger.log(System.Logger.Level.WARNING, "A teardown_request hook of " + this + " failed after its last"
                    + " copy finished; the other hooks ran", failure);
        }
    }

    /** Whether the latest push of this context made {@code appContext} current (created or reused). */
    boolean madeCurrent(AppContext appContext) {
        return pushes > 0 && appContext != null && latestAppContext() == appContext;
    }

    /** Whether the latest push of this context created the app context it made current. */
    boolean createdCurrentAppContext() {
        return pushes > 0 && (pushes == 1 ? firstCreated : laterCreated[pushes - 2]);
    }

    private AppContext latestAppContext() {
        return pushes == 1 ? firstAppContext : laterAppContexts[pushes - 2];
    }

    StackMark.Leak leak() {
        PushSites.PushSite site = pushSite;
        return new StackMark.Leak(ContextType.REQUEST, toString(), site == null ? null : site.caller(), site);
    }

    /** The first frame of the code that pushed this context last, or null unless push sites are captured. */
    String pushedAt() {
        PushSites.PushSite site = pushSite;
        return site == null ? null : site.caller();
    }

    private void remember(int token, AppContext appContext, boolean created) {
        if (token == 0) {
            firstAppContext = appContext;
            firstCreated = created;
            return;
        }
        if (laterAppContexts == null) {
            laterAppContexts = new AppContext[4];
            laterCreated = new boolean[4];
        } else if (token > laterAppContexts.length) {
            laterAppContexts = Arrays.copyOf(laterAppContexts, laterAppContexts.length * 2);
            laterCreated = Arrays.copyOf(laterCreated, laterCreated.length * 2);
        }
        laterAppContexts[token - 1] = appContext;
        laterCreated[token - 1] = created;
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
        return "<RequestContext " + where + " of '" + app.name() + "'>";
    }
}
