package io.flaskctx.signals;

import io.flaskctx.FlaskApp;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code request_tearing_down} signal: the teardown-request hooks ran; the request is still
 * current.
 */
public final class RequestTearingDownEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable Throwable error;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     * @param error the unhandled error, or null
     */
    public RequestTearingDownEvent(FlaskApp app, @Nullable Throwable error) {
        super(app);
        this.error = error;
    }

    /**
     * {@return the unhandled error, or null}
     */
    public @Nullable Throwable error() {
        return error;
    }
}
