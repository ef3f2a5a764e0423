package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;

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

    private final FlaskApp app;
    private final HttpServletRequest request;
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

    RequestContext(FlaskApp app, HttpServletRequest request) {
        this.app = app;
        this.request = request;
    }

    /** @return the app this request belongs to */
    public FlaskApp app() {
        return app;
    }

    /** @return the request */
    public HttpServletRequest request() {
        return request;
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
        thread = current;
        pushes++;
        pushSite = PushSites.here(this);
        if (ContextStats.countPush(ContextType.REQUEST, depth)) {
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
            ContextStats.countPop(ContextType.REQUEST);
        }
        Failures failures = new Failures();
        if (token == 0) {
            thread = null;
            pushSite = null;
            try {
                app.doTeardownRequest(error);
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }
        Globals.REQUEST.pop();
        if (created) {
            try {
                appContext.pop(error);
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }
        failures.rethrow();
    }

    /** Pops this context (the end of a try-with-resources block). */
    @Override
    public void close() {
        pop(null);
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
            StringBuffer url = request.getRequestURL();
            String query = request.getQueryString();
            where = "'" + url + (query == null ? "" : "?" + query) + "' [" + request.getMethod() + "]";
        } catch (RuntimeException recycled) {
            where = "(request no longer available)";
        }
        return "<RequestContext " + where + " of '" + app.name() + "'>";
    }
}
