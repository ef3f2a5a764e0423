package io.flaskctx.signals;

import io.flaskctx.FlaskApp;
import jakarta.servlet.http.HttpServletResponse;

/** Flask's {@code request_finished} signal: the after hooks ran; the response is not yet committed. */
public final class RequestFinishedEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    private final transient HttpServletResponse response;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     * @param response the response
     */
    public RequestFinishedEvent(FlaskApp app, HttpServletResponse response) {
        super(app);
        this.response = response;
    }

    /**
     * {@return the response}
     */
    public HttpServletResponse response() {
        return response;
    }
}
