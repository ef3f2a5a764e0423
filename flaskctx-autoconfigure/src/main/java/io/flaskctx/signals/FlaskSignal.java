package io.flaskctx.signals;

import io.flaskctx.FlaskApp;
import org.springframework.context.ApplicationEvent;

/** A Flask signal as a Spring event; its source is the app that sent it. */
public abstract class FlaskSignal extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    FlaskSignal(FlaskApp app) {
        super(app);
    }

    /**
     * {@return the app that sent the signal (Flask's {@code sender})}
     */
    public FlaskApp app() {
        return (FlaskApp) getSource();
    }
}
