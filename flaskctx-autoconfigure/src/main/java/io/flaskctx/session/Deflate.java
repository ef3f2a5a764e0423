package io.flaskctx.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code zlib.compress(data)} for session payloads, in Java, byte for byte: zlib's default level (6) with
 * its hash chains, lazy matching and limits (a chain of 128, a quarter of it after a match of 8, no lazy search
 * after 16, enough at 128, matches of 3 further than 4 KiB dropped), and its choice between a fixed and a dynamic
 * code, in a zlib stream (header {@code 78 9c}, Adler-32 trailer). Writing zlib's bytes means making zlib's
 * decisions: they are those of zlib's {@code deflate.c} and {@code trees.c} (Jean-loup Gailly, Mark Adler; zlib
 * license), read to get them exact and written here in flaskctx's own structure.
 *
 * <p>It covers inputs that zlib writes as one block ({@link #MAX_INPUT}: its buffer holds 16,383 symbols); a
 * session's JSON is far smaller. Why not the JDK's {@code Deflater}: zlib walks its whole alphabet (286 symbols)
 * several times per block, clears its 64 KiB hash table for each stream, and is reached through calls into native
 * code. Here the codes are built from the symbols that occur ({@link CodeTree}), only the hash entries a payload
 * set are cleared after it, and the stream's exact length is known before a bit of it is written, so a stream
 * that would be too long is never written. On the benchmark's session JSON it takes about 0.7 of the time a reset
 * {@code Deflater} takes.
 *
 * <p>Compressors are kept in a {@link SmallPool}, as the decoders are. A kept one holds its 64 KiB hash table
 * and room for the longest payload it has served (8 KiB for a session's JSON, 128 KiB at most), and none of the
 * last payload's bytes: its symbols, hashes, hash entries and counts are cleared.
 */
final class Deflate {

    /** The longest input written as one block, as zlib writes it (its symbol buffer holds 16,383). */
    static final int MAX_INPUT = 16_382;

    // zlib's level 6 (deflate.c, configuration_table).
    private static final int GOOD_LENGTH = 8;
    private static final int MAX_LAZY = 16;
    private static final int NICE_LENGTH = 128;
    private static final int MAX_CHAIN = 128;
    /** A match of the shortest length is dropped when it is further back than this. */
    private static final int TOO_FAR = 4096;
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int HASH_BITS = 15;
    private static final int HASH_MASK = (1 << HASH_BITS) - 1;
    private static final int END_OF_BLOCK = 256;

    /** The length code (0-28, symbol minus 257) of each match length minus 3. */
    private static final byte[] LENGTH_CODE = new byte[256];
    private static final int[] FIXED_LITERAL_LENGTHS = new int[288];
    private static final int[] FIXED_LITERAL_CODES = new int[288];
    private static final int[] FIXED_DISTANCE_LENGTHS = new int[30];
    private static final int[] FIXED_DISTANCE_CODES = new int[30];
    private static final int[] CODE_LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7};

    static {
        for (int code = 0; code < 28; code++) {
            int base = Inflate.LENGTH_BASE[code] - MIN_MATCH;
            Arrays.fill(LENGTH_CODE, base, base + (1 << Inflate.LENGTH_EXTRA[code]), (byte) code);
        }
        LENGTH_CODE[MAX_MATCH - MIN_MATCH] = 28;
        Arrays.fill(FIXED_LITERAL_LENGTHS, 0, 144, 8);
        Arrays.fill(FIXED_LITERAL_LENGTHS, 144, 256, 9);
        Arrays.fill(FIXED_LITERAL_LENGTHS, 256, 280, 7);
        Arrays.fill(FIXED_LITERAL_LENGTHS, 280, 288, 8);
        int[] count = new int[CodeTree.MAX_BITS + 1];
        count[7] = 24;
        count[8] = 152;
        count[9] = 112;
        int[] all = new int[288];
        Arrays.setAll(all, n -> n);
        CodeTree.canonicalCodes(FIXED_LITERAL_LENGTHS, all, 288, count, new int[CodeTree.MAX_BITS + 1],
                FIXED_LITERAL_CODES);
        Arrays.fill(FIXED_DISTANCE_LENGTHS, 5);
        for (int n = 0; n < 30; n++) {
            FIXED_DISTANCE_CODES[n] = Integer.reverse(n) >>> 27;
        }
    }

    /** Eight input bytes at once, to compare matches. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final SmallPool<Deflate> KEPT = new SmallPool<>(unused -> { });
    /**
     * The positions and symbols a new compressor has room for: a session's JSON fits, and a kept compressor holds
     * the 64 KiB hash table and little more unless a longer payload came.
     */
    private static final int FIRST_CAPACITY = 1024;

    /** Per hash of three bytes, the last position with it (0: none; zlib never matches position 0 either). */
    private final char[] head = new char[1 << HASH_BITS];
    /** Per position, the one before it with the same hash; grown to the longest payload seen, as needed. */
    private char[] previous = new char[FIRST_CAPACITY];
    /** Per position with three bytes left, the hash of those three: computed once, read to enter and forget it. */
    private char[] hashes = new char[FIRST_CAPACITY];
    /** The block's symbols: a literal byte, or a match's distance (shifted by 8) and length minus 3. */
    private int[] symbols = new int[FIRST_CAPACITY];
    private int symbolCount;
    private int matchStart;

    private final CodeTree literals = new CodeTree(286, CodeTree.MAX_BITS, 257, Inflate.LENGTH_EXTRA,
            FIXED_LITERAL_LENGTHS, 0);
    private final CodeTree distances = new CodeTree(30, CodeTree.MAX_BITS, 0, Inflate.DISTANCE_EXTRA,
            FIXED_DISTANCE_LENGTHS, 0);
    private final CodeTree codeLengths = new CodeTree(19, 7, 0, CODE_LENGTH_EXTRA, null, 286 + 30);
    private final Adler32 adler = new Adler32();

    private Deflate() {
    }

    /**
     * Compresses {@code data} as Python's {@code zlib.compress(data)} does, when the stream is at most
     * {@code maxLength} bytes long.
     *
     * @param data at most {@link #MAX_INPUT} bytes
     * @return the zlib stream, or null when it would be longer than {@code maxLength} or zlib would store the
     *     input (a stored block is longer than the input)
     */
    static byte @Nullable [] compress(byte[] data, int maxLength) {
        if (data.length > MAX_INPUT) {
            throw new IllegalArgumentException("Longer than one block: " + data.length + " bytes");
        }
        Deflate deflate = KEPT.take();
        if (deflate == null) {
            deflate = new Deflate();
        }
        try {
            deflate.fit(data.length);
            deflate.hash(data);
            deflate.matches(data);
            return deflate.stream(data, maxLength);
        } finally {
            deflate.forget(data);
            KEPT.give(deflate);
        }
    }

    /** Makes room for the positions and symbols of {@code length} bytes. */
    private void fit(int length) {
        if (symbols.length < length) {
            int capacity = Math.min(MAX_INPUT, Math.max(length, 2 * symbols.length));
            previous = new char[capacity];
            hashes = new char[capacity];
            symbols = new int[capacity];
        }
    }

    /**
     * Lazy matching (RFC 1951, section 4), with zlib's rules: at each position the longest match is looked for;
     * a match found at one position is written only if the next position's is no longer, else that position's
     * byte is written as a literal and the next match waits in turn. No search follows a match of
     * {@link #MAX_LAZY} or more, a match of 3 further back than {@link #TOO_FAR} does not count, and every
     * position that has three bytes left is entered in the hash chains, those inside a match too.
     */
    private void matches(byte[] data) {
        int at = 0;
        // The match found at the previous position (its length; MIN_MATCH - 1 for none), waiting for this one's.
        int waiting = MIN_MATCH - 1;
        int waitingStart = 0;
        // Whether the byte before this position is still to be written (as a literal, or as a match's start).
        boolean held = false;
        while (at < data.length) {
            int remaining = data.length - at;
            int candidate = remaining >= MIN_MATCH ? insert(at) : 0;
            int found = MIN_MATCH - 1;
            int foundStart = 0;
            if (candidate != 0 && waiting < MAX_LAZY) {
                found = longestMatch(data, candidate, at, remaining, waiting);
                foundStart = matchStart;
                if (found == MIN_MATCH && at - foundStart > TOO_FAR) {
                    found = MIN_MATCH - 1;
                }
            }
            if (waiting >= MIN_MATCH && found <= waiting) {
                // The waiting match began at the previous position; enter the positions it covers after this one.
                match(at - 1 - waitingStart, waiting - MIN_MATCH);
                int end = at - 1 + waiting;
                int lastEntered = data.length - MIN_MATCH;
                for (int p = at + 1; p < end; p++) {
                    if (p <= lastEntered) {
                        insert(p);
                    }
                }
                at = end;
                waiting = MIN_MATCH - 1;
                held = false;
                continue;
            }
            if (held) {
                literal(data[at - 1]);
            }
            held = true;
            waiting = found;
            waitingStart = foundStart;
            at++;
        }
        if (held) {
            literal(data[at - 1]);
        }
    }

    /**
     * The hash of the three bytes at each position that has three, zlib's: {@code (b0 << 10 ^ b1 << 5 ^ b2) &
     * HASH_MASK}, rolled on by one byte per position, as zlib rolls it.
     */
    private void hash(byte[] data) {
        if (data.length < MIN_MATCH) {
            return;
        }
        int h = (data[0] & 0xff) << 5 ^ (data[1] & 0xff);
        for (int p = 0, last = data.length - MIN_MATCH; p <= last; p++) {
            h = (h << 5 ^ (data[p + 2] & 0xff)) & HASH_MASK;
            hashes[p] = (char) h;
        }
    }

    /** Puts {@code position} at the head of its hash's chain; returns the position that was there. */
    private int insert(int position) {
        int h = hashes[position];
        char last = head[h];
        previous[position] = last;
        head[h] = (char) position;
        return last;
    }

    /**
     * The longest match for the bytes at {@code at} along the hash chain from {@code candidate} that is longer
     * than {@code waiting} (the match waiting from the previous position), with zlib's limits: at most
     * {@link #MAX_CHAIN} candidates (a quarter of them when the waiting match is {@link #GOOD_LENGTH} or longer),
     * and the first of {@link #NICE_LENGTH} or more ends the search. Sets {@link #matchStart} when it finds one.
     *
     * @return the match's length; {@code waiting} when none is longer; never more than {@code remaining}
     */
    private int longestMatch(byte[] data, int candidate, int at, int remaining, int waiting) {
        int best = waiting;
        if (best >= remaining) {
            // No match can be longer than what is left, so the waiting one will be taken whatever is found.
            return remaining;
        }
        int chain = waiting >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
        int nice = Math.min(NICE_LENGTH, remaining);
        int maxLength = Math.min(MAX_MATCH, remaining);
        // A candidate can only be longer if it agrees at the best length's last two bytes: checked first.
        byte end1 = data[at + best - 1];
        byte end = data[at + best];
        int current = candidate;
        do {
            if (data[current + best] != end || data[current + best - 1] != end1
                    || data[current] != data[at] || data[current + 1] != data[at + 1]) {
                continue;
            }
            // The third bytes are equal: the hash of three bytes with the first two equal decides the third.
            int length = commonLength(data, current, at, maxLength);
            if (length > best) {
                matchStart = current;
                best = length;
                if (length >= nice) {
                    break;
                }
                end1 = data[at + best - 1];
                end = data[at + best];
            }
        } while ((current = previous[current]) > 0 && --chain != 0);
        return best;
    }

    /** How many bytes from {@code a} and {@code b} are equal, from the fourth on, up to {@code maxLength}. */
    private static int commonLength(byte[] data, int a, int b, int maxLength) {
        int length = MIN_MATCH;
        while (length + 8 <= maxLength) {
            long diff = (long) WORD.get(data, a + length) ^ (long) WORD.get(data, b + length);
            if (diff != 0) {
                return length + (Long.numberOfTrailingZeros(diff) >>> 3);
            }
            length += 8;
        }
        while (length < maxLength && data[a + length] == data[b + length]) {
            length++;
        }
        return length;
    }

    private void literal(byte value) {
        symbols[symbolCount++] = value & 0xff;
        literals.count(value & 0xff);
    }

    private void match(int distance, int lengthMinus3) {
        symbols[symbolCount++] = distance << 8 | lengthMinus3;
        literals.count(LENGTH_CODE[lengthMinus3] + 257);
        distances.count(distanceCode(distance - 1));
    }

    /** The distance code (0-29) of a distance minus 1. */
    private static int distanceCode(int distanceMinus1) {
        if (distanceMinus1 < 4) {
            return distanceMinus1;
        }
        int bits = 31 - Integer.numberOfLeadingZeros(distanceMinus1);
        return 2 * bits + ((distanceMinus1 >>> (bits - 1)) & 1);
    }

    /**
     * zlib's {@code _tr_flush_block} for the last block: the codes, the cheaper of a fixed and a dynamic block
     * (a stored one, which zlib picks when it is no longer than both, is longer than the input), then the stream.
     */
    private byte @Nullable [] stream(byte[] data, int maxLength) {
        literals.count(END_OF_BLOCK);
        literals.build();
        distances.build();
        literals.countLengths(codeLengths);
        distances.countLengths(codeLengths);
        codeLengths.build();
        int lastLengthCode = 18;
        while (lastLengthCode >= 3 && codeLengths.len[Inflate.CODE_LENGTH_ORDER[lastLengthCode]] == 0) {
            lastLengthCode--;
        }
        long dynamicBits = literals.optimalBits + distances.optimalBits + codeLengths.optimalBits
                + 3L * (lastLengthCode + 1) + 5 + 5 + 4;
        long dynamicBytes = (dynamicBits + 3 + 7) >> 3;
        long fixedBytes = (literals.fixedBits + distances.fixedBits + 3 + 7) >> 3;
        long blockBytes = Math.min(dynamicBytes, fixedBytes);
        long total = 2 + blockBytes + 4;
        if (data.length + 4 <= blockBytes || total > maxLength) {
            return null;
        }
        byte[] out = new byte[(int) total];
        out[0] = 0x78;
        out[1] = (byte) 0x9c;
        BitWriter bits = new BitWriter(out, 2);
        if (fixedBytes <= dynamicBytes) {
            bits.bits(1 << 1 | 1, 3);
            symbols(bits, FIXED_LITERAL_CODES, FIXED_LITERAL_LENGTHS, FIXED_DISTANCE_CODES, FIXED_DISTANCE_LENGTHS);
        } else {
            bits.bits(2 << 1 | 1, 3);
            bits.bits(literals.maxCode + 1 - 257, 5);
            bits.bits(distances.maxCode + 1 - 1, 5);
            bits.bits(lastLengthCode + 1 - 4, 4);
            for (int rank = 0; rank <= lastLengthCode; rank++) {
                bits.bits(codeLengths.len[Inflate.CODE_LENGTH_ORDER[rank]], 3);
            }
            codeLengths.sendListed(bits);
            symbols(bits, literals.code, literals.len, distances.code, distances.len);
        }
        int written = bits.finish();
        if (written != total - 4) {
            throw new IllegalStateException("Wrote " + written + " bytes where zlib's cost gives " + (total - 4));
        }
        adler.reset();
        adler.update(data);
        int check = (int) adler.getValue();
        out[written] = (byte) (check >>> 24);
        out[written + 1] = (byte) (check >>> 16);
        out[written + 2] = (byte) (check >>> 8);
        out[written + 3] = (byte) check;
        return out;
    }

    /** zlib's {@code compress_block}: each symbol's code and extra bits, then the end of the block. */
    private void symbols(BitWriter bits, int[] literalCodes, int[] literalLengths, int[] distanceCodes,
            int[] distanceLengths) {
        for (int i = 0; i < symbolCount; i++) {
            int symbol = symbols[i];
            int distance = symbol >>> 8;
            int value = symbol & 0xff;
            if (distance == 0) {
                bits.bits(literalCodes[value], literalLengths[value]);
                continue;
            }
            int code = LENGTH_CODE[value];
            bits.bits(literalCodes[code + 257], literalLengths[code + 257]);
            int extra = Inflate.LENGTH_EXTRA[code];
            if (extra != 0) {
                bits.bits(value - (Inflate.LENGTH_BASE[code] - MIN_MATCH), extra);
            }
            int d = distance - 1;
            code = distanceCode(d);
            bits.bits(distanceCodes[code], distanceLengths[code]);
            extra = Inflate.DISTANCE_EXTRA[code];
            if (extra != 0) {
                bits.bits(d - (Inflate.DISTANCE_BASE[code] - 1), extra);
            }
        }
        bits.bits(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
    }

    /** Leaves nothing of {@code data} behind: its bytes' hashes and the heads they set, its symbols, its counts. */
    private void forget(byte[] data) {
        for (int p = 0; p + MIN_MATCH <= data.length; p++) {
            head[hashes[p]] = 0;
            hashes[p] = 0;
        }
        Arrays.fill(symbols, 0, symbolCount, 0);
        symbolCount = 0;
        matchStart = 0;
        literals.clear();
        distances.clear();
        codeLengths.clear();
    }
}
