package io.flaskctx;

import java.util.Locale;

/**
 * The two kinds of context Flask keeps on its two stacks: the application context and the request context.
 * Used as the {@code type} tag of flaskctx's meters and in leak reports.
 */
public enum ContextType {
    /** Flask's application context ({@link AppContext}). */
    APP,
    /** Flask's request context ({@link RequestContext}). */
    REQUEST;

    /**
     * {@return the tag value: {@code app} or {@code request}}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
