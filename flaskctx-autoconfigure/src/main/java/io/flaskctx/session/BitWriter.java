package io.flaskctx.session;

/**
 * Writes a deflate bit stream (RFC 1951, 3.1.1) into an array sized in advance: values first bit lowest, Huffman
 * codes as {@link CodeTree} keeps them (already bit-reversed), and the last byte padded with zeros.
 */
final class BitWriter {

    private final byte[] out;
    private int position;
    private long pending;
    private int pendingBits;

    BitWriter(byte[] out, int position) {
        this.out = out;
        this.position = position;
    }

    /** Writes the low {@code count} bits of {@code value} (at most 32 at once). */
    void bits(int value, int count) {
        pending |= (value & 0xFFFFFFFFL) << pendingBits;
        pendingBits += count;
        if (pendingBits >= 32) {
            int word = (int) pending;
            out[position] = (byte) word;
            out[position + 1] = (byte) (word >>> 8);
            out[position + 2] = (byte) (word >>> 16);
            out[position + 3] = (byte) (word >>> 24);
            position += 4;
            pending >>>= 32;
            pendingBits -= 32;
        }
    }

    /** Writes what is pending, the last byte padded with zeros, and returns the position after it. */
    int finish() {
        while (pendingBits > 0) {
            out[position++] = (byte) pending;
            pending >>>= 8;
            pendingBits -= 8;
        }
        pendingBits = 0;
        return position;
    }
}
