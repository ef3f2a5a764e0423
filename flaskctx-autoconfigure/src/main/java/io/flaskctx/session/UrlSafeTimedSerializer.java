package io.flaskctx.session;

import io.flaskctx.session.BadDataException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * itsdangerous's {@code URLSafeTimedSerializer} as Flask's cookie session configures it: Flask's tagged
 * JSON, zlib when that is shorter, URL-safe base64, a timestamp, and an HMAC-SHA1 signature with the key
 * derived from the secret key and the salt {@code cookie-session}. A value looks like
 * {@code [.]<payload>.<timestamp>.<signature>} and is byte-compatible with Flask's session cookie.
 *
 * <p>Several secret keys may verify (Flask's {@code SECRET_KEY_FALLBACKS}); only the current one signs.
 * Signatures are compared in constant time. Get one from
 * {@link SecureCookieSessionInterface#signingSerializer(io.flaskctx.FlaskApp)}; it is immutable and safe to
 * share between threads.
 */
public final class UrlSafeTimedSerializer {

    /** Flask's salt for session cookies. */
    static final String SALT = "cookie-session";

    /** No browser sends a longer cookie; such a value is refused before any work is done on it. */
    static final int MAX_VALUE_LENGTH = 8192;

    /** The most JSON a payload may inflate to (a 4 KiB zlib stream can inflate to megabytes). */
    static final int MAX_PAYLOAD_LENGTH = 1 << 20;

    private static final String ALGORITHM = "HmacSHA1";
    private static final byte DOT = '.';

    // One initialised MAC per secret key, in itsdangerous's order: fallbacks first, the current key last.
    private final Mac[] macs;
    private final Clock clock;

    /**
     * @param secretKeys the keys in itsdangerous's order (oldest fallback first, the current key last), each
     *     the UTF-8 bytes of a string key or the bytes of a binary one
     * @param clock the source of timestamps, for signing and for the age check
     */
    UrlSafeTimedSerializer(List<byte[]> secretKeys, Clock clock) {
        if (secretKeys.isEmpty()) {
            throw new IllegalArgumentException("At least one secret key is needed");
        }
        this.macs = new Mac[secretKeys.size()];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = mac(derive(secretKeys.get(i)));
        }
        this.clock = clock;
    }

    /** itsdangerous's {@code hmac} key derivation: HMAC-SHA1(secret key, salt). */
    private static byte[] derive(byte[] secretKey) {
        Mac mac = mac(secretKey);
        return mac.doFinal(SALT.getBytes(StandardCharsets.US_ASCII));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            // HMAC accepts any key length, an empty one included; SecretKeySpec refuses an empty array.
            mac.init(key.length == 0 ? new EmptyKey() : new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available in this JVM", e);
        }
    }

    private static byte[] sign(Mac prototype, byte[] data, int length) {
        Mac mac;
        try {
            // A clone of an initialised MAC costs far less than getInstance + init, and keeps this thread-safe.
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("The JVM's HMAC-SHA1 (" + prototype.getProvider() + ") cannot be"
                    + " cloned", e);
        }
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /**
     * Serializes and signs, as Flask writes a session cookie.
     *
     * @param value the value, usually the session's map
     * @return the signed value, ASCII only
     * @throws IllegalArgumentException when the value holds something Flask's session cannot
     */
    public String dumps(Object value) {
        byte[] json = TaggedJsonWriter.dumps(value).getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = Zlib.compressIfShorter(json);
        String payload = compressed != null ? "." + LenientBase64.urlEncode(compressed) : LenientBase64.urlEncode(json);
        String signed = payload + "." + LenientBase64.urlEncode(timestamp(clock.instant().getEpochSecond()));
        byte[] ascii = signed.getBytes(StandardCharsets.US_ASCII);
        byte[] signature = sign(macs[macs.length - 1], ascii, ascii.length);
        return signed + "." + LenientBase64.urlEncode(signature);
    }

    /** itsdangerous's {@code int_to_bytes}: big-endian, leading zero bytes dropped. */
    private static byte[] timestamp(long seconds) {
        byte[] bytes = ByteBuffer.allocate(8).putLong(seconds).array();
        int first = 0;
        while (first < bytes.length && bytes[first] == 0) {
            first++;
        }
        return Arrays.copyOfRange(bytes, first, bytes.length);
    }

    /**
     * Verifies and deserializes, as Flask reads a session cookie: the signature first (with every key), then
     * the timestamp and its age, then the payload. Accepts exactly what itsdangerous accepts, including its
     * lenient base64 (padding bits, extra {@code =}, skipped characters outside the alphabet).
     *
     * @param signedValue the cookie value
     * @param maxAge the oldest accepted signature (the check is {@code age > maxAge}); null for no limit
     * @return the value: a map for a session, though any JSON value that was signed comes back
     * @throws BadDataException saying why the value was refused
     */
    public @Nullable Object loads(String signedValue, Duration maxAge) throws BadDataException {
        if (signedValue.length() > MAX_VALUE_LENGTH) {
            throw new BadDataException(Reason.OVERSIZED, "Value longer than " + MAX_VALUE_LENGTH + " characters");
        }
        byte[] s = signedValue.getBytes(StandardCharsets.UTF_8);
        int signatureDot = lastDot(s, s.length);
        if (signatureDot < 0) {
            throw new BadDataException(Reason.SIGNATURE, "No '.' found in value");
        }
        if (!verify(s, signatureDot)) {
            throw new BadDataException(Reason.SIGNATURE, "Signature does not match");
        }
        int timestampDot = lastDot(s, signatureDot);
        if (timestampDot < 0) {
            throw new BadDataException(Reason.TIMESTAMP, "timestamp missing");
        }
        byte[] timestamp = LenientBase64.urlDecode(s, timestampDot + 1, signatureDot);
        if (timestamp == null || timestamp.length > 8) {
            throw new BadDataException(Reason.TIMESTAMP, "Malformed timestamp");
        }
        long signedAt = 0;
        for (byte b : timestamp) {
            signedAt = (signedAt << 8) | (b & 0xff);
        }
        if (maxAge != null) {
            long age = clock.instant().getEpochSecond() - signedAt;
            if (signedAt < 0 || age < 0) {
                // (an unsigned timestamp beyond Long.MAX_VALUE reads negative: far in the future)
                throw new BadDataException(Reason.FUTURE, "Signature age " + age + " < 0 seconds");
            }
            if (age > maxAge.getSeconds()) {
                throw new BadDataException(Reason.EXPIRED, "Signature age " + age + " > " + maxAge.getSeconds()
                        + " seconds");
            }
        }
        return payload(s, timestampDot);
    }

    private static int lastDot(byte[] s, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (s[i] == DOT) {
                return i;
            }
        }
        return -1;
    }

    /** itsdangerous's {@code verify_signature}: the current key first, then the fallbacks, newest first. */
    private boolean verify(byte[] s, int signatureDot) {
        byte[] signature = LenientBase64.urlDecode(s, signatureDot + 1, s.length);
        if (signature == null) {
            return false;
        }
        for (int i = macs.length - 1; i >= 0; i--) {
            if (MessageDigest.isEqual(signature, sign(macs[i], s, signatureDot))) {
                return true;
            }
        }
        return false;
    }

    /** itsdangerous's {@code load_payload}: '.' means zlib; then base64, UTF-8 and Flask's tagged JSON. */
    private static @Nullable Object payload(byte[] s, int end) throws BadDataException {
        boolean compressed = end > 0 && s[0] == DOT;
        byte[] raw = LenientBase64.urlDecode(s, compressed ? 1 : 0, end);
        if (raw == null) {
            throw new BadDataException(Reason.PAYLOAD, "Could not base64 decode the payload");
        }
        if (compressed) {
            try {
                raw = Zlib.decompress(raw, MAX_PAYLOAD_LENGTH);
            } catch (DataFormatException e) {
                throw new BadDataException(Reason.PAYLOAD, "Could not zlib decompress the payload");
            } catch (Zlib.TooLarge e) {
                throw new BadDataException(Reason.OVERSIZED, "Payload inflates beyond " + MAX_PAYLOAD_LENGTH + " bytes");
            }
        }
        if (raw.length > MAX_PAYLOAD_LENGTH) {
            throw new BadDataException(Reason.OVERSIZED, "Payload longer than " + MAX_PAYLOAD_LENGTH + " bytes");
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new BadDataException(Reason.PAYLOAD, "Payload is not UTF-8");
        }
        try {
            return TaggedJsonReader.loads(json);
        } catch (IllegalArgumentException e) {
            throw new BadDataException(Reason.PAYLOAD, "Could not load the payload: " + e.getMessage());
        }
    }

    /** An empty HMAC key, which HMAC allows (Python signs with an empty secret key) but SecretKeySpec does not. */
    private static final class EmptyKey implements SecretKey {
        private static final long serialVersionUID = 1L;

        @Override
        public String getAlgorithm() {
            return ALGORITHM;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return new byte[0];
        }
    }
}
