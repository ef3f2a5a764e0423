package io.flaskctx.session;

import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import io.flaskctx.SessionInterface;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;

/**
 * A server-side Flask session interface (what Flask-Session gives Flask): the session is the request's
 * {@code HttpSession}, so its data stays on the server and any store the container or Spring Session
 * provides (Redis, JDBC, Hazelcast) keeps it. The browser holds only the container's session id cookie.
 *
 * <p>Flask's session rules carried over: the {@code HttpSession} is created by the first write (reads of a
 * visitor without one create nothing); {@link Session#markModified()} stores every attribute again, so that
 * stores which persist on {@code setAttribute} see values changed in place; a session emptied during the
 * request is invalidated (Flask deletes the cookie); a permanent session gets
 * {@code PERMANENT_SESSION_LIFETIME} as its inactivity timeout; {@code Vary: Cookie} whenever the request
 * used the session. Values are any Java objects (persistent stores usually need them {@code Serializable});
 * no {@code SECRET_KEY} is needed.
 */
public final class ServletSessionInterface implements SessionInterface {

    /** Creates the session store. */
    public ServletSessionInterface() {
    }

    /** @return a view of the request's {@code HttpSession}, never null */
    @Override
    public Session open(FlaskApp app, HttpServletRequest request) {
        return new ServletSession(request);
    }

    /** Only a request that has an {@code HttpSession}: there is nothing to save, or to refresh, without one. */
    @Override
    public boolean savesUnusedSession(FlaskApp app, HttpServletRequest request) {
        return request.getSession(false) != null;
    }

    @Override
    public void save(FlaskApp app, Session session, HttpServletRequest request, HttpServletResponse response) {
        if (session.isAccessed()) {
            Vary.addCookie(response);
        }
        HttpSession httpSession = request.getSession(false);
        if (httpSession == null) {
            return;
        }
        if (session.isModified() && session.isEmpty()) {
            httpSession.invalidate();
            return;
        }
        if (session instanceof ServletSession servlet && servlet.needsRewrite()) {
            // under the session mutex, so that a concurrent request's write is not overwritten by a stale copy
            servlet.rewrite(httpSession);
        }
        if (session.isPermanent()) {
            Duration lifetime = app.config().get("PERMANENT_SESSION_LIFETIME", Duration.class);
            if (lifetime != null) {
                httpSession.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, lifetime.getSeconds()));
            }
        }
    }
}
