package io.flaskctx;

import java.io.Serializable;
import java.util.Objects;

/**
 * MarkupSafe's {@code Markup}: a string of HTML that is already safe to insert into a page without
 * escaping. Flask's session serializer tags it as {@code {" m": "..."}} so that it comes back as
 * {@code Markup}, not as plain text (a Flask app flashes {@code Markup("<b>Saved</b>")} to keep the tags).
 *
 * <p>Only the marker and the text: flaskctx does not escape or sanitise anything, and Java template engines
 * do not know this type; use its text where your templates expect trusted HTML. Two {@code Markup}s are
 * equal when their text is; a {@code Markup} never equals a plain {@code String}.
 */
public final class Markup implements CharSequence, Serializable {

    private static final long serialVersionUID = 1L;

    /** The HTML text, as given to {@link #of}. */
    private final String html;

    private Markup(String html) {
        this.html = html;
    }

    /**
     * {@return it, marked as safe}
     *
     * @param html HTML that is safe to insert as it is
     */
    public static Markup of(String html) {
        return new Markup(Objects.requireNonNull(html, "html"));
    }

    @Override
    public int length() {
        return html.length();
    }

    @Override
    public char charAt(int index) {
        return html.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return html.subSequence(start, end);
    }

    /** @return the HTML text */
    @Override
    public String toString() {
        return html;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Markup markup && markup.html.equals(html);
    }

    @Override
    public int hashCode() {
        return html.hashCode();
    }
}
