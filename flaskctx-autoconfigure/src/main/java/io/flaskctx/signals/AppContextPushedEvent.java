package io.flaskctx.signals;

import io.flaskctx.FlaskApp;

/** Flask's {@code appcontext_pushed} signal: an app context was pushed; it is current while listeners run. */
public final class AppContextPushedEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     */
    public AppContextPushedEvent(FlaskApp app) {
        super(app);
    }
}
