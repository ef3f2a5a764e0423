package io.flaskctx.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;

/**
 * Python's {@code zlib.decompress} for session payloads, in Java: a zlib stream (RFC 1950) around deflate data
 * (RFC 1951), with zlib's own checks. It accepts what zlib accepts and gives the same bytes; it refuses what zlib
 * refuses (a bad header or preset dictionary, block type 3, stored lengths that disagree, code sets that are
 * over-subscribed or incomplete where zlib forbids it, bad repeats, a missing end-of-block code, codes and
 * distances out of range or too far back, a bad Adler-32, a stream cut short). Bytes after the stream's end are
 * ignored, as Python ignores them.
 *
 * <p>Why not the JDK's {@code Inflater}: a session cookie holds one small dynamic block, and for it zlib's time goes to
 * building its decoding tables and to the calls into native code. Here a decoder's tables are only as large as the
 * block's longest code needs (up to 8 bits for literals and lengths, 9 for the fixed code), grown a bit at a time by
 * copying; a longer code is decoded bit by bit from the count of codes of each length. The whole output is the window,
 * so a distance is checked against what was written. Decoders are kept in a {@link SmallPool} for the next payload, as
 * the {@code Deflater}s are, so that their tables and buffer are warm rather than new memory.
 */
final class Inflate {

    /** Lengths of the symbols 257-285: base and extra bits (RFC 1951, 3.2.5). */
    static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    /** Distances of the symbols 0-29: base and extra bits. */
    static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    /** The order in which a dynamic block sends the code-length code's lengths. */
    static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** The fixed codes (RFC 1951, 3.2.6): 288 literal/length symbols (286 and 287 invalid), 32 distances (30, 31 invalid). */
    private static final HuffmanCode FIXED_LITERALS;
    private static final HuffmanCode FIXED_DISTANCES;

    static {
        int[] symbols = new int[288];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = i;
        }
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        try {
            FIXED_LITERALS = new HuffmanCode(288, 9);
            FIXED_LITERALS.build(symbols, lengths, 288, HuffmanCode.Kind.LITERALS);
            Arrays.fill(lengths, 5);
            FIXED_DISTANCES = new HuffmanCode(32, 5);
            FIXED_DISTANCES.build(symbols, lengths, 32, HuffmanCode.Kind.DISTANCES);
        } catch (DataFormatException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Eight input bytes at once, little-endian: the next bits of the stream, first bit lowest. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Decoders kept for the next payload: their tables and output buffer stay warm in the cache. */
    private static final SmallPool<Inflate> KEPT = new SmallPool<>(unused -> { });
    private static final byte[] NO_INPUT = {};
    /** The largest output buffer kept with a decoder; a larger payload's is dropped with it. */
    private static final int KEPT_OUTPUT = 8192;

    // A dynamic block's codes and the lists they are built from.
    private final HuffmanCode codeLengths = new HuffmanCode(19, 7);
    private final HuffmanCode literals = new HuffmanCode(286, 8);
    private final HuffmanCode distances = new HuffmanCode(30, 5);
    private final int[] codeLengthLengths = new int[19];
    private final int[] literalSymbols = new int[286];
    private final int[] literalLengths = new int[286];
    private final int[] distanceSymbols = new int[30];
    private final int[] distanceLengths = new int[30];
    private final Adler32 adler = new Adler32();

    // The payload being read.
    private byte[] in = NO_INPUT;
    private int end;
    private int maxLength;
    /** The next byte of {@link #in} to load into {@link #bits}. */
    private int pos;
    /**
     * Bits loaded and not yet used, the next one lowest. Above the {@link #count} real ones: the next input bits, or
     * zeros past the input's end.
     */
    private long bits;
    /** How many of {@link #bits} are real; below 0 once more bits were used than the stream has. */
    private int count;
    private byte[] out = new byte[1024];
    /** How much of {@link #out} this payload may fill: all of it, or up to the limit. */
    private int capacity;
    private int written;

    private Inflate() {
    }

    /**
     * Inflates a complete zlib stream.
     *
     * @param maxLength the largest result accepted
     * @throws DataFormatException when the stream is corrupt or incomplete, with zlib's message
     * @throws Zlib.TooLarge when the result would exceed {@code maxLength}
     */
    static byte[] inflate(byte[] data, int maxLength) throws DataFormatException, Zlib.TooLarge {
        Inflate inflate = KEPT.take();
        if (inflate == null) {
            inflate = new Inflate();
        }
        boolean done = false;
        try {
            inflate.start(data, maxLength);
            inflate.header();
            inflate.blocks();
            inflate.trailer();
            done = true;
            return Arrays.copyOf(inflate.out, inflate.written);
        } finally {
            // A kept decoder holds nothing of this payload. (Refused, its output's length may not be known.)
            inflate.in = NO_INPUT;
            // (a match's copy may have written up to 7 bytes past the output)
            int used = done ? Math.min(inflate.written + 7, inflate.out.length) : inflate.out.length;
            Arrays.fill(inflate.out, 0, used, (byte) 0);
            if (inflate.out.length <= KEPT_OUTPUT) {
                KEPT.give(inflate);
            }
        }
    }

    private void start(byte[] data, int limit) {
        in = data;
        end = data.length;
        maxLength = limit;
        pos = 0;
        bits = 0;
        count = 0;
        written = 0;
        capacity = Math.min(out.length, limit);
    }

    /** RFC 1950's two header bytes: method 8, a window of at most 32 KiB, no preset dictionary, the check. */
    private void header() throws DataFormatException {
        int cmf = take(8);
        int flg = take(8);
        if (((cmf << 8) | flg) % 31 != 0) {
            throw new DataFormatException("incorrect header check");
        }
        if ((cmf & 0x0f) != 8) {
            throw new DataFormatException("unknown compression method");
        }
        if ((cmf >>> 4) + 8 > 15) {
            throw new DataFormatException("invalid window size");
        }
        if ((flg & 0x20) != 0) {
            throw new DataFormatException("a preset dictionary is needed");
        }
    }

    /** RFC 1950's trailer: the Adler-32 of the output, big-endian, from the next byte boundary. */
    private void trailer() throws DataFormatException {
        dropToByte();
        long expected = 0;
        for (int i = 0; i < 4; i++) {
            expected = expected << 8 | take(8);
        }
        adler.reset();
        adler.update(out, 0, written);
        if (expected != adler.getValue()) {
            throw new DataFormatException("incorrect data check");
        }
    }

    private void blocks() throws DataFormatException, Zlib.TooLarge {
        boolean last;
        do {
            last = take(1) == 1;
            switch (take(2)) {
                case 0 -> stored();
                case 1 -> codes(FIXED_LITERALS, FIXED_DISTANCES);
                case 2 -> {
                    dynamicHeader();
                    codes(literals, distances);
                }
                default -> throw new DataFormatException("invalid block type");
            }
        } while (!last);
    }

    /** A stored block: from the next byte boundary, LEN, its one's complement, LEN bytes. */
    private void stored() throws DataFormatException, Zlib.TooLarge {
        dropToByte();
        int length = take(16);
        if ((take(16) ^ 0xffff) != length) {
            throw new DataFormatException("invalid stored block lengths");
        }
        room(length);
        // First the whole bytes already loaded, then straight from the input.
        while (length > 0 && count >= 8) {
            out[written++] = (byte) take(8);
            length--;
        }
        if (length == 0) {
            return;
        }
        if (length > end - pos) {
            throw truncated();
        }
        // No bit is loaded now, but bits may hold part of the next byte ahead of count: moving pos makes that stale.
        bits = 0;
        System.arraycopy(in, pos, out, written, length);
        pos += length;
        written += length;
    }

    /**
     * A dynamic block's header: the code-length code, then the two codes' lengths through it. Only the symbols with
     * a code are listed (most of a small block's 286 literal/length symbols have none).
     */
    private void dynamicHeader() throws DataFormatException {
        int literalCount = take(5) + 257;
        int distanceCount = take(5) + 1;
        int codeLengthCount = take(4) + 4;
        if (literalCount > 286 || distanceCount > 30) {
            throw new DataFormatException("too many length or distance symbols");
        }
        int[] bySymbol = codeLengthLengths;
        Arrays.fill(bySymbol, 0);
        // Up to 19 lengths of 3 bits, with the bit buffer in locals (as below): a load when fewer than 3 bits are left.
        long b = bits;
        int c = count;
        for (int i = 0; i < codeLengthCount; i++) {
            if (c < 3) {
                bits = b;
                count = c;
                load();
                b = bits;
                c = count;
                if (c < 3) {
                    throw truncated();
                }
            }
            bySymbol[CODE_LENGTH_ORDER[i]] = (int) b & 7;
            b >>>= 3;
            c -= 3;
        }
        // (the literal lists serve as the code-length code's lists first: they are filled again below)
        int n = 0;
        for (int symbol = 0; symbol < bySymbol.length; symbol++) {
            if (bySymbol[symbol] != 0) {
                literalSymbols[n] = symbol;
                literalLengths[n++] = bySymbol[symbol];
            }
        }
        codeLengths.build(literalSymbols, literalLengths, n, HuffmanCode.Kind.CODE_LENGTHS);

        // Symbols [0, literalCount) are literal/lengths, the rest distances; a repeat may cross from one to the other.
        // The bit buffer lives in locals here, as in codes(): a code-length code is at most 7 bits and a repeat's
        // extra bits at most 7, so one load per symbol is enough. Its table has no empty slot (the code was refused
        // unless complete, and an empty one reads as zeros of one bit), so no entry needs the long-code path.
        final int[] table = codeLengths.table;
        final int mask = codeLengths.mask;
        int total = literalCount + distanceCount;
        int literalCodes = 0;
        int distanceCodes = 0;
        boolean endOfBlock = false;
        int previous = 0;
        int i = 0;
        while (i < total) {
            if (c < 48) {
                bits = b;
                count = c;
                load();
                b = bits;
                c = count;
            }
            int entry = table[(int) b & mask];
            b >>>= entry;
            c -= entry & 0xf;
            int symbol = entry >>> HuffmanCode.SYMBOL_SHIFT;
            int times = 1;
            if (symbol < 16) {
                previous = symbol;
            } else if (symbol == 16) {
                times = 3 + ((int) b & 3);
                b >>>= 2;
                c -= 2;
            } else if (symbol == 17) {
                previous = 0;
                times = 3 + ((int) b & 7);
                b >>>= 3;
                c -= 3;
            } else {
                previous = 0;
                times = 11 + ((int) b & 0x7f);
                b >>>= 7;
                c -= 7;
            }
            // zlib needs a symbol's extra bits before it checks the repeat: a stream cut short there is truncated
            if (c < 0) {
                throw truncated();
            }
            if (symbol == 16 && i == 0 || i + times > total) {
                throw new DataFormatException("invalid bit length repeat");
            }
            if (previous == 0) {
                i += times;
                continue;
            }
            for (; times > 0; times--, i++) {
                if (i < literalCount) {
                    endOfBlock |= i == 256;
                    literalSymbols[literalCodes] = i;
                    literalLengths[literalCodes++] = previous;
                } else {
                    distanceSymbols[distanceCodes] = i - literalCount;
                    distanceLengths[distanceCodes++] = previous;
                }
            }
        }
        bits = b;
        count = c;
        if (!endOfBlock) {
            throw new DataFormatException("invalid code -- missing end-of-block");
        }
        literals.build(literalSymbols, literalLengths, literalCodes, HuffmanCode.Kind.LITERALS);
        distances.build(distanceSymbols, distanceLengths, distanceCodes, HuffmanCode.Kind.DISTANCES);
    }

    /**
     * A block's data through its two codes, up to the end-of-block symbol. The hot loop: the bit buffer and the
     * output live in locals here, and go back to the fields around the rare calls that use them.
     */
    private void codes(HuffmanCode literals, HuffmanCode distances) throws DataFormatException, Zlib.TooLarge {
        final int[] literalTable = literals.table;
        final int literalMask = literals.mask;
        final int[] distanceTable = distances.table;
        final int distanceMask = distances.mask;
        final byte[] in = this.in;
        long b = bits;
        int c = count;
        int p = pos;
        byte[] o = out;
        int w = written;
        while (true) {
            // at least 48 bits: a length's code and extra bits and a distance's, with no load between them
            if (c < 48) {
                // A literal's code is checked here, before the next symbol: it may have used bits past the stream's
                // end (then the byte it wrote is dropped with the rest of the output).
                if (c < 0) {
                    throw truncated();
                }
                // as load() does
                if (p <= end - 8) {
                    b |= (long) WORD.get(in, p) << c;
                    p += (63 - c) >>> 3;
                    c |= 56;
                } else {
                    while (c <= 56 && p < end) {
                        b |= (long) (in[p++] & 0xff) << c;
                        c += 8;
                    }
                }
            }
            int entry = literalTable[(int) b & literalMask];
            if (entry == 0) {
                entry = literals.longCode(b);
            }
            b >>>= entry;
            c -= entry & 0xf;
            int symbol = entry >>> HuffmanCode.SYMBOL_SHIFT;
            if (symbol < 256) {
                if (w == capacity) {
                    if (c < 0) {
                        throw truncated(); // before the limit, as zlib would have found it first
                    }
                    written = w;
                    room(1);
                    o = out;
                }
                o[w++] = (byte) symbol;
                continue;
            }
            if (c < 0) {
                throw truncated();
            }
            if (symbol == 256) {
                bits = b;
                count = c;
                pos = p;
                written = w;
                return;
            }
            symbol -= 257;
            if (symbol >= LENGTH_BASE.length) {
                throw new DataFormatException("invalid literal/length code");
            }
            int extra = LENGTH_EXTRA[symbol];
            int copy = LENGTH_BASE[symbol] + ((int) b & ((1 << extra) - 1));
            b >>>= extra;
            c -= extra;
            entry = distanceTable[(int) b & distanceMask];
            if (entry == 0) {
                entry = distances.longCode(b);
            }
            b >>>= entry;
            int length = entry & 0xf;
            int code = entry >>> HuffmanCode.SYMBOL_SHIFT;
            if (code >= DISTANCE_BASE.length) {
                throw new DataFormatException("invalid distance code");
            }
            extra = DISTANCE_EXTRA[code];
            int distance = DISTANCE_BASE[code] + ((int) b & ((1 << extra) - 1));
            b >>>= extra;
            c -= length + extra;
            if (c < 0) {
                throw truncated();
            }
            if (distance > w) {
                throw new DataFormatException("invalid distance too far back");
            }
            if (w + copy > capacity) {
                written = w;
                room(copy);
                o = out;
            }
            int from = w - distance;
            if (distance >= 8 && w + copy <= o.length - 8) {
                // eight bytes at a time, each read written before (it is at least 8 back); up to 7 past the copy's
                // end are written too, and overwritten by what follows or cleared at the end
                for (int k = 0; k < copy; k += 8) {
                    WORD.set(o, w + k, (long) WORD.get(o, from + k));
                }
                w += copy;
            } else if (distance >= copy) {
                System.arraycopy(o, from, o, w, copy);
                w += copy;
            } else {
                // overlapping: each byte may be one this copy wrote
                for (int k = 0; k < copy; k++) {
                    o[w++] = o[from + k];
                }
            }
        }
    }

    /** The next {@code n} bits (at most 16), the first lowest. */
    private int take(int n) throws DataFormatException {
        if (count < n) {
            load();
            if (count < n) {
                throw truncated();
            }
        }
        int value = (int) bits & ((1 << n) - 1);
        bits >>>= n;
        count -= n;
        return value;
    }

    private void dropToByte() {
        int drop = count & 7;
        bits >>>= drop;
        count -= drop;
    }

    /**
     * Loads whole bytes until at least 56 bits are loaded or the input ends. Eight bytes are read at once where
     * there are eight: then the bits above {@link #count} hold the start of the next byte, which the next load
     * ORs in again, unchanged.
     */
    private void load() {
        if (pos <= end - 8) {
            bits |= (long) WORD.get(in, pos) << count;
            pos += (63 - count) >>> 3;
            count |= 56;
            return;
        }
        while (count <= 56 && pos < end) {
            bits |= (long) (in[pos++] & 0xff) << count;
            count += 8;
        }
    }

    /** Makes room for {@code n} more bytes of output, within the limit. */
    private void room(int n) throws Zlib.TooLarge {
        long needed = (long) written + n;
        if (needed <= capacity) {
            return;
        }
        if (needed > maxLength) {
            throw new Zlib.TooLarge();
        }
        if (needed > out.length) {
            out = Arrays.copyOf(out, (int) Math.min(maxLength, Math.max(needed, out.length * 2L)));
        }
        capacity = Math.min(out.length, maxLength);
    }

    private static DataFormatException truncated() {
        return new DataFormatException("incomplete or truncated stream");
    }
}
