package io.flaskctx;

import java.util.Locale;

/**
 * Where an app context came from: the {@code origin} tag of the pushed-contexts meter, so a dashboard tells web
 * traffic from jobs. Flask has no counterpart (its CLI and its Celery tasks push plain app contexts).
 */
public enum ContextOrigin {
    /** Pushed for a web request, with its request context. */
    REQUEST,
    /** Pushed around a run of a {@code @Scheduled} method. */
    SCHEDULED,
    /** Pushed around a {@code CommandLineRunner} or {@code ApplicationRunner} at start-up. */
    RUNNER,
    /** Pushed around a call of a {@link WithAppContext} method. */
    METHOD,
    /** Pushed by hand: {@code app.appContext().push()}. */
    MANUAL;

    private static final ContextOrigin[] ALL = values();

    /**
     * {@return the tag value: {@code request}, {@code scheduled}, {@code runner}, {@code method} or {@code manual}}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ContextOrigin[] all() {
        return ALL;
    }
}
