package io.flaskctx.session;

import io.flaskctx.session.BadDataException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.zip.DataFormatException;
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
 *
 * <p>The signing keys are derived once, when the serializer is made. Each thread that signs or verifies keeps
 * its own {@link HmacSha1} of each of this serializer's keys (in a thread-local of this serializer, so that no
 * other serializer, app or key can reach them): they are not thread-safe, and each holds two SHA-1 digests that
 * have taken in the key's pads. When the keys rotate, the store makes a new serializer; the old one's HMACs
 * (holding digests of derived keys, never the secret key) stay on a thread until the old serializer is
 * garbage-collected and that thread's thread-local map next drops stale entries. They can then no longer sign or
 * verify anything.
 */
public final class UrlSafeTimedSerializer {

    /** Flask's salt for session cookies. */
    static final String SALT = "cookie-session";

    /** No browser sends a longer cookie; such a value is refused before any work is done on it. */
    static final int MAX_VALUE_LENGTH = 8192;

    /** The most JSON a payload may inflate to (a 4 KiB zlib stream can inflate to megabytes). */
    static final int MAX_PAYLOAD_LENGTH = 1 << 20;

    private static final byte DOT = '.';
    /** What the JDK's lenient UTF-8 decoding puts where the bytes are malformed. */
    private static final char REPLACEMENT = '\uFFFD';

    /** A signature's length (HMAC-SHA1) and its length in base64. */
    private static final int SIGNATURE_LENGTH = HmacSha1.LENGTH;
    private static final int SIGNATURE_BASE64 = 27;

    // One HMAC per secret key, in itsdangerous's order (fallbacks first, the current key last): each thread's own
    // copies of the prototypes, made on its first cookie.
    private final ThreadLocal<HmacSha1[]> threadMacs;
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
        HmacSha1[] prototypes = new HmacSha1[secretKeys.size()];
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = HmacSha1.of(derive(secretKeys.get(i)));
        }
        // copied once here, so that a JVM whose SHA-1 cannot be copied fails where the serializer is made
        clones(prototypes);
        this.threadMacs = ThreadLocal.withInitial(() -> clones(prototypes));
        this.clock = clock;
    }

    private static HmacSha1[] clones(HmacSha1[] prototypes) {
        HmacSha1[] clones = new HmacSha1[prototypes.length];
        for (int i = 0; i < clones.length; i++) {
            clones[i] = prototypes[i].copy();
        }
        return clones;
    }

    /** itsdangerous's {@code hmac} key derivation: HMAC-SHA1(secret key, salt). */
    private static byte[] derive(byte[] secretKey) {
        byte[] salt = SALT.getBytes(StandardCharsets.US_ASCII);
        byte[] derived = new byte[HmacSha1.LENGTH];
        HmacSha1.of(secretKey).sign(salt, salt.length, derived);
        return derived;
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
        byte[] payload = compressed != null ? compressed : json;
        // The value is written once, as ASCII bytes: [.]payload.timestamp, signed, then .signature.
        byte[] timestamp = timestamp(now());
        int dot = compressed != null ? 1 : 0;
        int signedLength = dot + LenientBase64.urlEncodedLength(payload.length) + 1
                + LenientBase64.urlEncodedLength(timestamp.length);
        byte[] out = new byte[signedLength + 1 + SIGNATURE_BASE64];
        // The payload's text is written at the array's start (where the JDK's encoder writes), then moved past the
        // dot of a compressed payload.
        int at = LenientBase64.urlEncodeAtStart(payload, out);
        if (compressed != null) {
            System.arraycopy(out, 0, out, 1, at);
            out[0] = DOT;
            at++;
        }
        out[at++] = DOT;
        at = LenientBase64.urlEncode(timestamp, out, at);
        byte[] signature = new byte[SIGNATURE_LENGTH];
        HmacSha1[] mine = threadMacs.get();
        mine[mine.length - 1].sign(out, signedLength, signature);
        out[at++] = DOT;
        LenientBase64.urlEncode(signature, out, at);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** itsdangerous's {@code int_to_bytes}: big-endian, leading zero bytes dropped. */
    private static byte[] timestamp(long seconds) {
        int length = (Long.SIZE - Long.numberOfLeadingZeros(seconds) + 7) / 8;
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            bytes[i] = (byte) seconds;
            seconds >>>= 8;
        }
        return bytes;
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
        // (ASCII, as every cookie Flask writes, takes the JDK's fast path; other characters count as their UTF-8)
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
            long age = now() - signedAt;
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

    /**
     * The clock's time in whole seconds ({@code Instant.getEpochSecond()}), from its milliseconds: the system
     * clock reads those without the native call and the object an {@code Instant} takes.
     */
    private long now() {
        return Math.floorDiv(clock.millis(), 1000);
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
        byte[] expected = new byte[SIGNATURE_LENGTH];
        HmacSha1[] mine = threadMacs.get();
        for (int i = mine.length - 1; i >= 0; i--) {
            mine[i].sign(s, signatureDot, expected);
            if (MessageDigest.isEqual(signature, expected)) {
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
        String json = utf8(raw);
        try {
            return TaggedJsonReader.loads(json);
        } catch (IllegalArgumentException e) {
            throw new BadDataException(Reason.PAYLOAD, "Could not load the payload: " + e.getMessage());
        }
    }

    /**
     * The payload as text, strict UTF-8 as Python decodes it. The JDK's lenient decoding comes first: it checks
     * ASCII (what Flask writes) with a vectorised intrinsic, and where it replaced nothing (no U+FFFD in its result)
     * the bytes were well-formed and gave exactly this text. Otherwise (malformed bytes, or a U+FFFD that was sent)
     * the strict decoder decides.
     */
    private static String utf8(byte[] raw) throws BadDataException {
        String lenient = new String(raw, StandardCharsets.UTF_8);
        if (lenient.indexOf(REPLACEMENT) < 0) {
            return lenient;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new BadDataException(Reason.PAYLOAD, "Payload is not UTF-8");
        }
    }
}
