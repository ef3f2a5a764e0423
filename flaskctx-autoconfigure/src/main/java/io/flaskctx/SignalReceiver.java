package io.flaskctx;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Receives Flask's signals ({@code flask.signals}, blinker signals in Flask) of one app, at the moments Flask
 * sends them. The starter installs one that publishes them as Spring events, only when some listener wants them;
 * with none installed, sending a signal costs one null check.
 *
 * <p>Order for a request, as in Flask: {@code appcontext_pushed, request_started, (before hooks, handler, after
 * hooks), request_finished, (teardown_request hooks), request_tearing_down, (teardown_appcontext hooks),
 * appcontext_tearing_down, appcontext_popped}. An unhandled exception sends {@code got_request_exception}
 * after the handler instead of {@code request_finished}. {@code message_flashed} is sent by each
 * {@code flash()}, where it is called.
 */
public interface SignalReceiver {

    /**
     * {@code appcontext_pushed}: an app context was pushed and is current.
     *
     * @param app the app whose context it is
     */
    default void appcontextPushed(FlaskApp app) {
    }

    /**
     * {@code appcontext_tearing_down}: its teardown hooks ran; the context is still current.
     *
     * @param app the app whose context it is
     * @param error the exception that ended the context, or null
     */
    default void appcontextTearingDown(FlaskApp app, @Nullable Throwable error) {
    }

    /**
     * {@code appcontext_popped}: the context is gone.
     *
     * @param app the app whose context it is
     */
    default void appcontextPopped(FlaskApp app) {
    }

    /**
     * {@code request_started}: the request context is pushed, before the before hooks.
     *
     * @param app the app handling the request
     */
    default void requestStarted(FlaskApp app) {
    }

    /**
     * {@code request_finished}: the after hooks ran on the response, which is not yet committed.
     *
     * @param app the app handling the request
     * @param response the response, not yet committed
     */
    default void requestFinished(FlaskApp app, HttpServletResponse response) {
    }

    /**
     * {@code request_tearing_down}: the teardown-request hooks ran; the request is still current.
     *
     * @param app the app handling the request
     * @param error the exception that ended the request, or null
     */
    default void requestTearingDown(FlaskApp app, @Nullable Throwable error) {
    }

    /**
     * {@code got_request_exception}: the request ended with an exception no handler took.
     *
     * @param app the app handling the request
     * @param exception the exception
     */
    default void gotRequestException(FlaskApp app, Throwable exception) {
    }

    /**
     * {@code message_flashed}: {@code flash()} stored a message in the session; sent from wherever it was called.
     *
     * @param app the app whose context is current
     * @param message the message (the HTML text of a {@code Markup})
     * @param category its category
     */
    default void messageFlashed(FlaskApp app, String message, String category) {
    }
}
