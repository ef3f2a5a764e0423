package io.flaskctx.observation;

import io.flaskctx.ContextOrigin;
import io.flaskctx.FlaskApp;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * What a {@code flaskctx.appcontext} observation knows about an app context pushed outside a request (Flask's
 * {@code with app.app_context():} in a job or a CLI command): its app and where it came from.
 */
public class AppContextObservationContext extends Observation.Context {

    private final FlaskApp app;
    private final ContextOrigin origin;

    /**
     * Creates an {@code AppContextObservationContext}.
     *
     * @param app the context's app
     * @param origin where the context came from: {@code manual}, {@code scheduled}, {@code runner} or
     *     {@code method}
     */
    public AppContextObservationContext(FlaskApp app, ContextOrigin origin) {
        this.app = Objects.requireNonNull(app, "app");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** {@return the context's app} */
    public FlaskApp getApp() {
        return app;
    }

    /** {@return where the context came from} */
    public ContextOrigin getOrigin() {
        return origin;
    }
}
