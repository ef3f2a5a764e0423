package io.flaskctx.session;

import java.util.Locale;

/**
 * A signed value was refused: itsdangerous's {@code BadData} family ({@code BadSignature},
 * {@code BadTimeSignature}, {@code SignatureExpired}, {@code BadPayload}) as one exception with a
 * {@link Reason}. The session interface turns it into an empty session; it never reaches the client.
 */
public final class BadDataException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a value was refused; {@link #tag()} is the {@code reason} tag of {@code flaskctx.session.rejected}. */
    public enum Reason {
        /** No separator, or the signature matches none of the keys (tampered, truncated, another key or salt). */
        SIGNATURE,
        /** Validly signed, but without a readable timestamp. */
        TIMESTAMP,
        /** Signed longer ago than the allowed age (PERMANENT_SESSION_LIFETIME for sessions). */
        EXPIRED,
        /** Signed in the future (a clock ahead, or a forged timestamp that still had to be signed). */
        FUTURE,
        /** Validly signed, but the payload is not base64, zlib, UTF-8 or JSON Flask can read, or not a map. */
        PAYLOAD,
        /** Longer than any browser sends, or inflating to more than is accepted. */
        OVERSIZED;

        /**
         * {@return the lower-case name, used as a metric tag value}
         */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why the data was refused. */
    private final Reason reason;

    BadDataException(Reason reason, String message) {
        // No stack trace: refusals are expected input, and may be many under attack.
        super(message, null, false, false);
        this.reason = reason;
    }

    /**
     * {@return why the value was refused}
     */
    public Reason reason() {
        return reason;
    }
}
