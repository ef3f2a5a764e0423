package io.flaskctx.autoconfigure;

import io.flaskctx.session.SecureCookieSessionInterface;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code flaskctx.session.*} properties: where sessions are kept. The session's own settings are Flask's
 * config keys under {@code flaskctx.config} ({@code SECRET_KEY}, {@code SESSION_COOKIE_*},
 * {@code PERMANENT_SESSION_LIFETIME}, ...).
 */
@ConfigurationProperties("flaskctx.session")
public class FlaskSessionProperties {

    /**
     * Where sessions are kept: "cookie" (Flask's signed cookies, readable by a Flask app with the same
     * SECRET_KEY; without a SECRET_KEY the session is a null session) or "servlet" (the HttpSession, so any
     * Spring Session store works; no SECRET_KEY needed).
     */
    private Store store = Store.COOKIE;

    /**
     * Whether a weak SECRET_KEY or SECRET_KEY_FALLBACKS entry (shorter than 16 bytes, one repeated character, or
     * a well-known placeholder such as change-me) is accepted with a warning instead of stopping start-up. For
     * demos and tests only: anyone who guesses the key can sign a cookie that logs in as any user.
     */
    private boolean allowWeakKey = false;

    /**
     * What the cookie store does with a session whose cookie would exceed MAX_COOKIE_SIZE (browsers drop such
     * cookies silently): "keep" sends no cookie, so the browser keeps its previous one and this request's session
     * changes are lost (logged once per set of keys, counted as flaskctx.session.rejected{reason=too-large});
     * "fail" makes the request fail with a 500 instead.
     */
    private SecureCookieSessionInterface.Oversize oversize = SecureCookieSessionInterface.Oversize.KEEP;

    /** Creates the properties with their defaults; Spring Boot binds them. */
    public FlaskSessionProperties() {
    }

    /**
     * Returns the {@code store} property.
     *
     * @return where sessions are kept: "cookie" (Flask's signed cookies, readable by a Flask app with the same
     *     SECRET_KEY; without a SECRET_KEY the session is a null session) or "servlet" (the HttpSession, so any Spring
     *     Session store works; no SECRET_KEY needed)
     */
    public Store getStore() {
        return store;
    }

    /**
     * Sets the {@code store} property.
     *
     * @param store where sessions are kept: "cookie" (Flask's signed cookies, readable by a Flask app with the same
     *     SECRET_KEY; without a SECRET_KEY the session is a null session) or "servlet" (the HttpSession, so any Spring
     *     Session store works; no SECRET_KEY needed)
     */
    public void setStore(Store store) {
        this.store = store;
    }

    /**
     * Returns the {@code allowWeakKey} property.
     *
     * @return whether a weak SECRET_KEY or SECRET_KEY_FALLBACKS entry (shorter than 16 bytes, one repeated character,
     *     or a well-known placeholder such as change-me) is accepted with a warning instead of stopping start-up
     */
    public boolean isAllowWeakKey() {
        return allowWeakKey;
    }

    /**
     * Sets the {@code allowWeakKey} property.
     *
     * @param allowWeakKey whether a weak SECRET_KEY or SECRET_KEY_FALLBACKS entry (shorter than 16 bytes, one repeated
     *     character, or a well-known placeholder such as change-me) is accepted with a warning instead of stopping
     *     start-up
     */
    public void setAllowWeakKey(boolean allowWeakKey) {
        this.allowWeakKey = allowWeakKey;
    }

    /**
     * Returns the {@code oversize} property.
     *
     * @return what the cookie store does with a session whose cookie would exceed MAX_COOKIE_SIZE (browsers drop such
     *     cookies silently): "keep" sends no cookie, so the browser keeps its previous one and this request's session
     *     changes are lost (logged once per set of keys, counted as flaskctx.session.rejected{reason=too-large});
     *     "fail" makes the request fail with a 500 instead
     */
    public SecureCookieSessionInterface.Oversize getOversize() {
        return oversize;
    }

    /**
     * Sets the {@code oversize} property.
     *
     * @param oversize what the cookie store does with a session whose cookie would exceed MAX_COOKIE_SIZE (browsers
     *     drop such cookies silently): "keep" sends no cookie, so the browser keeps its previous one and this request's
     *     session changes are lost (logged once per set of keys, counted as
     *     flaskctx.session.rejected{reason=too-large}); "fail" makes the request fail with a 500 instead
     */
    public void setOversize(SecureCookieSessionInterface.Oversize oversize) {
        this.oversize = oversize;
    }

    /**
     * The value of {@code flaskctx.session.store}: Flask's {@code SESSION_INTERFACE} choice. Bound leniently, so
     * {@code cookie}, {@code Cookie} and {@code COOKIE} all work, as the string property did.
     */
    public enum Store {

        /** Flask's signed cookies ({@code SecureCookieSessionInterface}); needs {@code SECRET_KEY}. */
        COOKIE,

        /** The servlet {@code HttpSession}, so any Spring Session store works. */
        SERVLET
    }
}
