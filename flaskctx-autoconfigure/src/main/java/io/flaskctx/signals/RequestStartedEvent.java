package io.flaskctx.signals;

import io.flaskctx.FlaskApp;

/** Flask's {@code request_started} signal: a request context was pushed; the before hooks run next. */
public final class RequestStartedEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     */
    public RequestStartedEvent(FlaskApp app) {
        super(app);
    }
}
