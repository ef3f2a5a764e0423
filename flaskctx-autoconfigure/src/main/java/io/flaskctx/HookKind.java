package io.flaskctx;

import java.util.Locale;

/**
 * The kinds of Flask hook, by the names of the decorators that register them in Flask
 * ({@code @app.before_request}, {@code @app.after_request}, {@code flask.after_this_request},
 * {@code @app.teardown_request}, {@code @app.teardown_appcontext}). A {@link HookObserver} receives the kind of
 * each hook it observes.
 */
public enum HookKind {
    /** Flask's {@code before_request}: runs before the handler; a value it returns ends the request. */
    BEFORE_REQUEST,
    /** Flask's {@code after_request}: runs on the response, in reverse registration order. */
    AFTER_REQUEST,
    /** Flask's {@code after_this_request}: registered by one request for itself, runs before the after hooks. */
    AFTER_THIS_REQUEST,
    /** Flask's {@code teardown_request}: runs when the request context is popped. */
    TEARDOWN_REQUEST,
    /** Flask's {@code teardown_appcontext}: runs when the app context is popped for the last time. */
    TEARDOWN_APPCONTEXT;

    private final String flaskName = name().toLowerCase(Locale.ROOT);

    /** {@return Flask's name of the kind: {@code before_request}, {@code after_this_request}, ...} */
    public String flaskName() {
        return flaskName;
    }
}
