package io.flaskctx.signals;

import io.flaskctx.FlaskApp;

/** Flask's {@code appcontext_popped} signal: an app context was popped; it is no longer current. */
public final class AppContextPoppedEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     */
    public AppContextPoppedEvent(FlaskApp app) {
        super(app);
    }
}
