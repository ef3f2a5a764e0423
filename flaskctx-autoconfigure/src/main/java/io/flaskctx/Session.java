package io.flaskctx;

import java.util.Collection;
import java.util.Map;

/**
 * Flask's {@code session}: the data of one visitor, kept between their requests ({@code SessionMixin} and
 * the {@code session} proxy). Read and write it as a map; where it is kept is up to the app's
 * {@link io.flaskctx.SessionInterface}: by default a signed cookie that a Flask app with the same
 * {@code SECRET_KEY} reads and writes too, or the {@code HttpSession}.
 *
 * <pre>{@code
 * Session session = Flask.session();       // or inject the Session proxy
 * session.put("user_id", 42);
 * Object user = session.get("user_id");    // 42 again on the visitor's next request (a Long from a cookie)
 * session.setPermanent(true);              // keep it PERMANENT_SESSION_LIFETIME, not until the browser closes
 * }</pre>
 *
 * <p>Writing through the map marks the session modified, which is what gets it saved; as in Flask, changing
 * a value in place (a list or map held in the session) is not seen: call {@link #markModified()} after it.
 * As in Flask, a write marks it even when it changes nothing ({@code put} of the same value, {@code clear}
 * of an empty session), except removing a key that is not there or {@code putIfAbsent} of one that is (Werkzeug's
 * {@code pop} and {@code setdefault}).
 *
 * <p>{@link #proxy()} (and the injectable {@code Session} bean) is Flask's module-level {@code session}: every
 * call goes to the session of the request current on the calling thread.
 */
public interface Session extends Map<String, Object> {

    /** The key that holds {@link #isPermanent()}, as in Flask. */
    String PERMANENT_KEY = "_permanent";

    /**
     * Returns the {@code session} proxy: every call goes to the session of the request context current on the
     * calling thread (and marks it accessed), and throws {@link OutsideContextException} when there is none.
     *
     * @return the proxy, a singleton
     */
    static Session proxy() {
        return SessionProxy.INSTANCE;
    }

    /**
     * Flask's {@code session.new}: whether the store knows the session to be new. A cookie cannot tell a new
     * session from an empty one, so the cookie store answers false, as Flask's does; the servlet store
     * answers whether the {@code HttpSession} was created for this request.
     *
     * @return true when the session is known to be new
     */
    boolean isNew();

    /**
     * Flask's {@code session.modified}.
     *
     * @return whether the session was written through its methods (or {@link #markModified()} was called)
     *     during this request
     */
    boolean isModified();

    /** Marks the session modified, after changing a value it holds in place ({@code session.modified = True}). */
    void markModified();

    /**
     * Flask's {@code session.modified = ...}: true is {@link #markModified()}; false forgets that the session
     * was written so far, so that the response saves nothing for it (unless it is written again, or is a
     * permanent session refreshed on every request). A session that cannot forget, such as one of a custom
     * store that does not override this, refuses false.
     *
     * @param modified whether the session counts as written
     * @throws UnsupportedOperationException when {@code modified} is false and the session cannot forget
     */
    default void setModified(boolean modified) {
        if (!modified) {
            throw new UnsupportedOperationException(getClass().getName() + " cannot be marked unmodified: override"
                    + " Session.setModified(boolean)");
        }
        markModified();
    }

    /**
     * Flask-Session's {@code session.regenerate()}: gives the session a new id and keeps its data. Call it when
     * a user logs in (or gains a privilege), so that a session id an attacker planted in the browser before
     * (session fixation) is worth nothing afterwards. The servlet store changes the {@code HttpSession}'s id
     * ({@code HttpServletRequest.changeSessionId()}; the container sends the new id cookie). The cookie store
     * has no id to rotate (the cookie holds the data, and only the server can sign one), so there it does
     * nothing; a request without a session does nothing either.
     *
     * @throws UnsupportedOperationException for a session of a custom store that keeps sessions under ids and
     *     does not override this
     */
    default void regenerate() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot regenerate its id: override"
                + " Session.regenerate()");
    }

    /**
     * Flask's {@code session.accessed}: whether this request used the session at all, which adds
     * {@code Vary: Cookie} to the response.
     *
     * @return true once the session was reached through the request context
     */
    boolean isAccessed();

    /** Marks the session accessed; the request context does this whenever it hands the session out. */
    void markAccessed();

    /**
     * Flask's {@code session.permanent}: whether the session outlives the browser session, for
     * {@code PERMANENT_SESSION_LIFETIME}. Stored under {@value #PERMANENT_KEY}, read with Python's truth rules.
     *
     * @return true when the session is permanent
     */
    default boolean isPermanent() {
        Object value = get(PERMANENT_KEY);
        if (value == null || value instanceof Boolean) {
            return Boolean.TRUE.equals(value);
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        if (value instanceof CharSequence text) {
            return text.length() > 0;
        }
        if (value instanceof Collection<?> items) {
            return !items.isEmpty();
        }
        return !(value instanceof Map<?, ?> map) || !map.isEmpty();
    }

    /**
     * Makes the session permanent or not (stores {@value #PERMANENT_KEY}, which marks it modified).
     *
     * @param permanent whether it should outlive the browser session
     */
    default void setPermanent(boolean permanent) {
        put(PERMANENT_KEY, permanent);
    }
}
