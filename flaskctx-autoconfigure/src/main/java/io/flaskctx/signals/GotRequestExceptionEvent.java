package io.flaskctx.signals;

import io.flaskctx.FlaskApp;

/**
 * Flask's {@code got_request_exception} signal: the request ended with an exception no handler took, before
 * its teardown.
 */
public final class GotRequestExceptionEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    private final transient Throwable exception;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     * @param exception the exception
     */
    public GotRequestExceptionEvent(FlaskApp app, Throwable exception) {
        super(app);
        this.exception = exception;
    }

    /**
     * {@return the exception}
     */
    public Throwable exception() {
        return exception;
    }
}
