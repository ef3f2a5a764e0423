package io.flaskctx.signals;

import io.flaskctx.FlaskApp;

/**
 * Flask's {@code message_flashed} signal: {@code flash()} stored a message in the session, sent from wherever
 * it was called (a handler, a hook), with the request current.
 */
public final class MessageFlashedEvent extends FlaskSignal {

    private static final long serialVersionUID = 1L;

    /** The message (the HTML text of a {@code Markup}). */
    private final String message;
    /** Its category. */
    private final String category;

    /**
     * Creates the signal.
     *
     * @param app the app that sent it
     * @param message the message (the HTML text of a {@code Markup})
     * @param category its category, such as {@code "message"} or {@code "error"}
     */
    public MessageFlashedEvent(FlaskApp app, String message, String category) {
        super(app);
        this.message = message;
        this.category = category;
    }

    /**
     * {@return the message (the HTML text of a {@code Markup})}
     */
    public String message() {
        return message;
    }

    /**
     * {@return its category}
     */
    public String category() {
        return category;
    }
}
