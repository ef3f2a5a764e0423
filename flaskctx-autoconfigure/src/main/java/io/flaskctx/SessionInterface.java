package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code SessionInterface}: where an app keeps its sessions. The request context asks it to
 * {@link #open open} the session of a request (the first time the request uses the session), and the web
 * layer asks it to {@link #save save} the session just before the response is committed, after the after
 * hooks, as Flask's {@code process_response} does. Set one with {@link FlaskApp#setSessionInterface}, or (in
 * Spring Boot) define a bean of this type.
 *
 * <p>Two are built in: {@link io.flaskctx.session.SecureCookieSessionInterface} (signed cookies, Flask's default) and
 * {@link io.flaskctx.session.ServletSessionInterface} ({@code HttpSession}, so Spring Session's stores work). Several requests of
 * one visitor may run at once; an implementation decides whether its store needs to synchronise them.
 */
public interface SessionInterface {

    /**
     * Loads the session of {@code request}. Called on the request's thread, with its request context
     * pushed.
     *
     * @param app the app
     * @param request the request
     * @return the session, or null when sessions cannot work (then the request gets a null session, see
     *     {@link #makeNullSession})
     */
    @Nullable Session open(FlaskApp app, HttpServletRequest request);

    /**
     * Stores the session and sets what the response needs for it (a cookie, {@code Vary: Cookie}). Called
     * once per request before the response is committed, unless {@link #isNullSession} is true for it.
     *
     * @param app the app
     * @param session the session {@link #open} returned
     * @param request the request
     * @param response the response, not yet committed
     */
    void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response);

    /**
     * Whether the session of a request that never used it must still be opened and saved when the request ends.
     * Flask opens every request's session as the request begins; flaskctx opens it on first use, and at the end
     * of a request that never used it asks this first, so that a request that carries no session pays nothing
     * for it. Answer true whenever {@link #save} could do something for a session nobody read or wrote: refresh
     * a permanent session's cookie or expiry, for one.
     *
     * @param app the app
     * @param request the request, which has not used its session
     * @return true (the default) to open and save the session as if it had been used; false when saving an
     *     unused session of this request would do nothing
     */
    default boolean savesUnusedSession(FlaskApp app, HttpServletRequest request) {
        return true;
    }

    /**
     * Flask's {@code make_null_session}: the session of a request when {@link #open} returned null. It reads
     * as empty and refuses every write with Flask's message, naming the property to set.
     *
     * @param app the app
     * @return a null session
     */
    default Session makeNullSession(FlaskApp app) {
        return new NullSession();
    }

    /**
     * Flask's {@code is_null_session}: null sessions are never saved.
     *
     * @param session a session
     * @return whether it is a null session
     */
    default boolean isNullSession(Session session) {
        return session instanceof NullSession;
    }
}
