package io.flaskctx.session;

import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * One prefix code of a deflate block (RFC 1951, 3.2.2), built from its code lengths the way zlib builds and checks
 * it, for {@link Inflate}. Codes of up to {@code root} bits are found in one table look-up; a longer code is decoded
 * bit by bit from the number of codes of each length.
 */
final class HuffmanCode {

    /** Which of a block's codes this is: they differ in what zlib lets them leave incomplete, and in messages. */
    enum Kind {
        /** The code a dynamic block sends its code lengths in: must be complete. */
        CODE_LENGTHS("invalid code lengths set", "invalid code lengths set"),
        /** Literals, end-of-block and lengths: complete, or a single code of one bit. */
        LITERALS("invalid literal/lengths set", "invalid literal/length code"),
        /** Distances: complete, a single code of one bit, or none at all (a block of literals). */
        DISTANCES("invalid distances set", "invalid distance code");

        private final String badSet;
        private final String badCode;

        Kind(String badSet, String badCode) {
            this.badSet = badSet;
            this.badCode = badCode;
        }
    }

    private static final int MAX_BITS = 15;

    /**
     * Where an entry's symbol starts. Below it only the code's length (4 bits) is set, so a decoder drops a code from
     * its bit buffer by shifting the buffer by the entry itself (a shift takes the low 6 bits of its count): one
     * step less between a look-up and the next.
     */
    static final int SYMBOL_SHIFT = 8;

    /** The most bits a table may cover: the fixed literal code's 9. */
    private static final int MAX_ROOT = 9;
    /**
     * Each value of {@link #MAX_ROOT} bits with its bits in reverse order: the stream sends a code's first bit first.
     */
    private static final char[] REVERSED = new char[1 << MAX_ROOT];

    static {
        for (int i = 0; i < REVERSED.length; i++) {
            REVERSED[i] = (char) (Integer.reverse(i) >>> (32 - MAX_ROOT));
        }
    }

    /** The most bits the table may cover. */
    private final int maxRoot;
    /** How many it covers for this code: {@code maxRoot}, or the code's longest length when shorter. */
    private int root;
    /** For the next {@link #root} bits of the stream. */
    int mask;
    /**
     * Indexed by the next {@link #root} bits of the stream: symbol << {@link #SYMBOL_SHIFT} | code length; 0 where
     * no code that short fits. A table only as large as the longest code needs is quicker to fill.
     */
    final int[] table;
    /** How many codes each length has. */
    private final int[] counts = new int[MAX_BITS + 1];
    /** The symbols in code order: by code length, then by symbol. */
    private final int[] symbols;
    private final int[] offsets = new int[MAX_BITS + 1];
    private Kind kind = Kind.CODE_LENGTHS;

    /**
     * @param maxSymbols the most symbols the code may have
     * @param maxRoot how many bits the look-up table covers at most
     */
    HuffmanCode(int maxSymbols, int maxRoot) {
        if (maxRoot > MAX_ROOT) {
            throw new IllegalArgumentException("A table of more than " + MAX_ROOT + " bits: " + maxRoot);
        }
        this.maxRoot = maxRoot;
        this.root = maxRoot;
        this.mask = (1 << maxRoot) - 1;
        this.table = new int[1 << maxRoot];
        this.symbols = new int[maxSymbols];
    }

    /**
     * Builds the code in which symbol {@code symbols[i]} has a code of {@code lengths[i]} bits, for the {@code n}
     * symbols that have one, in increasing order.
     *
     * @throws DataFormatException when the lengths give more codes than bits allow, or fewer where {@code kind}
     *     must be complete
     */
    void build(int[] symbols, int[] lengths, int n, Kind kind) throws DataFormatException {
        this.kind = kind;
        Arrays.fill(counts, 0);
        int max = 0;
        for (int i = 0; i < n; i++) {
            int length = lengths[i];
            counts[length]++;
            max = Math.max(max, length);
        }
        root = Math.max(1, Math.min(maxRoot, max));
        mask = (1 << root) - 1;
        if (max == 0) {
            // No codes. Then any distance read is an error. zlib reads each symbol of an empty code-length code as
            // a length of 0 in one bit, and so ends on the missing end-of-block code or the stream's end: so here.
            Arrays.fill(table, kind == Kind.CODE_LENGTHS ? 0 << SYMBOL_SHIFT | 1 : 0);
            return;
        }
        // One pass over the lengths: the codes left unused (none may be missing) and where each length's symbols
        // start in code order, both summed in locals.
        int left = 1;
        int offset = 0;
        for (int length = 1; length <= MAX_BITS; length++) {
            int count = counts[length];
            left = (left << 1) - count;
            offsets[length] = offset;
            offset += count;
        }
        if (left < 0) {
            throw new DataFormatException(kind.badSet); // over-subscribed
        }
        if (left > 0 && (kind == Kind.CODE_LENGTHS || max != 1)) {
            throw new DataFormatException(kind.badSet); // incomplete: zlib allows only a single one-bit code
        }
        for (int i = 0; i < n; i++) {
            this.symbols[offsets[lengths[i]]++] = symbols[i];
        }
        // Canonical codes: consecutive within a length, in symbol order. The stream sends a code's first bit first,
        // so the table is indexed by a code's bits reversed, and a code of L bits owns every slot whose low L bits
        // are its own. The table grows a length at a time: the slots for L bits are those for L - 1 bits twice over
        // (the L-th bit cannot change what a shorter code decodes to), copied up, and then each code of L bits is
        // written in its one slot. Slots no code of up to root bits owns (prefixes of longer codes, or of none) stay
        // 0 from the first slot, so a reused table needs no clearing.
        table[0] = 0;
        int code = 0;
        int index = 0;
        for (int length = 1; length <= root; length++) {
            int half = 1 << (length - 1);
            if (half < 8) {
                for (int slot = 0; slot < half; slot++) {
                    table[half + slot] = table[slot];
                }
            } else {
                System.arraycopy(table, 0, table, half, half);
            }
            for (int c = counts[length]; c > 0; c--) {
                table[REVERSED[code] >>> (MAX_ROOT - length)] = this.symbols[index++] << SYMBOL_SHIFT | length;
                code++;
            }
            code <<= 1;
        }
    }

    /**
     * A code longer than the table covers, or none: bit by bit. The codes of each length are consecutive, so one
     * comparison per length finds the code.
     */
    int longCode(long bits) throws DataFormatException {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length <= MAX_BITS; length++) {
            code |= (int) bits & 1;
            bits >>>= 1;
            int c = counts[length];
            if (code - first < c) {
                return symbols[index + code - first] << SYMBOL_SHIFT | length;
            }
            index += c;
            first = (first + c) << 1;
            code <<= 1;
        }
        throw new DataFormatException(kind.badCode);
    }
}
