package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The names of {@code flask.globals} as static methods: {@code current_app}, {@code g}, {@code request},
 * {@code has_app_context()} and {@code has_request_context()}. Each looks at the contexts pushed on the calling
 * thread, so code anywhere can reach the current app and request without having them passed in.
 *
 * <p>In Spring beans you may prefer injecting {@link CurrentApp} and {@link G}, which resolve the same way.
 */
public final class Flask {

    private Flask() {
    }

    /**
     * Flask's {@code current_app._get_current_object()}.
     *
     * @return the app of the current app context
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    public static FlaskApp currentApp() {
        return Globals.appContext().app();
    }

    /**
     * Flask's {@code g}.
     *
     * @return the {@code g} of the current app context (not a proxy: it stays that context's {@code g})
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    public static G g() {
        return Globals.appContext().g();
    }

    /**
     * Flask's {@code request}.
     *
     * @return the request of the current request context
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static HttpServletRequest request() {
        return Globals.requestContext().request();
    }

    /** @return whether an app context is pushed on this thread (Flask's {@code has_app_context()}) */
    public static boolean hasAppContext() {
        return Globals.APP.top() != null;
    }

    /** @return whether a request context is pushed on this thread (Flask's {@code has_request_context()}) */
    public static boolean hasRequestContext() {
        return Globals.REQUEST.top() != null;
    }
}
