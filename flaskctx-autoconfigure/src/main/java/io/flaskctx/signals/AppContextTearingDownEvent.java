package io.flaskctx.signals;

import io.flaskctx.FlaskApp;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code appcontext_tearing_down} signal: the teardown-appcontext hooks ran; the context is still
 * current.
 */
public final class AppContextTearingDownEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable Throwable error;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     * @param error the error that ended the context, or null
     */
    public AppContextTearingDownEvent(FlaskApp app, @Nullable Throwable error) {
        super(app);
        this.error = error;
    }

    /**
     * {@return the error that ended the context, or null}
     */
    public @Nullable Throwable error() {
        return error;
    }
}
