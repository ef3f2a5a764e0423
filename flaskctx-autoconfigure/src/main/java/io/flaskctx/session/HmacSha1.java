package io.flaskctx.session;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) of one key, with the key's two pads hashed once. The JDK's {@code Mac} hashes the inner
 * and the outer pad again for every message: two of the seven SHA-1 compressions a session cookie's signature
 * takes. Here each message starts from copies of two digests that have already taken them in, which the JDK's
 * SHA-1 makes by copying its state. Not thread-safe: {@link UrlSafeTimedSerializer} keeps one per thread and key,
 * each with digests of its own.
 */
final class HmacSha1 {

    /** SHA-1's block, which the key is padded to. */
    private static final int BLOCK = 64;
    static final int LENGTH = 20;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerHash = new byte[LENGTH];

    private HmacSha1(MessageDigest inner, MessageDigest outer) {
        this.inner = inner;
        this.outer = outer;
    }

    /** {@return the HMAC of {@code key}, any length (RFC 2104 hashes a key longer than a block first)} */
    static HmacSha1 of(byte[] key) {
        MessageDigest inner = sha1();
        byte[] padded = Arrays.copyOf(key.length > BLOCK ? inner.digest(key) : key, BLOCK);
        byte[] pad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (padded[i] ^ 0x36);
        }
        inner.update(pad);
        MessageDigest outer = sha1();
        for (int i = 0; i < BLOCK; i++) {
            pad[i] = (byte) (padded[i] ^ 0x5c);
        }
        outer.update(pad);
        Arrays.fill(padded, (byte) 0);
        Arrays.fill(pad, (byte) 0);
        return new HmacSha1(inner, outer);
    }

    /** {@return another HMAC of the same key, with digests of its own (for another thread)} */
    HmacSha1 copy() {
        return new HmacSha1(copy(inner), copy(outer));
    }

    /** The HMAC of {@code data[0, length)}, into {@code into[0, 20)}. */
    void sign(byte[] data, int length, byte[] into) {
        MessageDigest innerPass = copy(inner);
        innerPass.update(data, 0, length);
        try {
            innerPass.digest(innerHash, 0, LENGTH);
            MessageDigest outerPass = copy(outer);
            outerPass.update(innerHash, 0, LENGTH);
            outerPass.digest(into, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 gave other than " + LENGTH + " bytes", e);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JVM", e);
        }
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("The JVM's SHA-1 (" + digest.getProvider() + ") cannot be copied", e);
        }
    }
}
