package io.flaskctx.autoconfigure;

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
    private String store = "cookie";

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }
}
