package io.flaskctx.session;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * zlib's {@code deflate} at the default level (6) and default parameters (32 KiB window, {@code memLevel} 8,
 * default strategy), in Java, for inputs of a cookie's size: the same algorithm step for step (the hash chains,
 * the lazy matching of {@code deflate_slow}, the Huffman trees of {@code trees.c} and zlib's choice between
 * fixed and dynamic codes), so that it writes the bytes Python's {@code zlib.compress} writes (and the JDK's
 * {@code Deflater}; {@code SmallDeflateTest} compares the two on generated inputs).
 *
 * <p>Why not the JDK's {@code Deflater}: even reused, each stream costs it a reset of zlib's 64 KiB hash table
 * and a native call on top of the compression itself. Here the hash table is cleared entry by entry (only those
 * the input used), the exact output length is known before any byte is written (so a stream that would not be
 * short enough is never written), and nothing is native: about a fifth less time for a typical session's 200
 * bytes. The compression itself (the same work as zlib's) remains most of writing a cookie.
 *
 * <p>Inputs up to {@value #MAX_INPUT} bytes only: they fit one window and one block, so there is no sliding and
 * no block split to reproduce. An instance holds about 100 KiB of plain Java arrays and is not thread-safe;
 * {@link Zlib} keeps a few for reuse.
 */
final class SmallDeflate {

    /** The longest input handled; larger ones (which hardly fit a cookie) go to the JDK's Deflater. */
    static final int MAX_INPUT = 8192;

    // zlib's constants (zlib.h, deflate.h, trees.c) for windowBits 15, memLevel 8, level 6.
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
    private static final int W_SIZE = 1 << 15;
    private static final int MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
    private static final int HASH_BITS = 15;
    private static final int HASH_MASK = (1 << HASH_BITS) - 1;
    private static final int HASH_SHIFT = (HASH_BITS + MIN_MATCH - 1) / MIN_MATCH;
    private static final int TOO_FAR = 4096;
    private static final int GOOD_LENGTH = 8;
    private static final int MAX_LAZY = 16;
    private static final int NICE_LENGTH = 128;
    private static final int MAX_CHAIN = 128;

    private static final int LITERALS = 256;
    private static final int END_BLOCK = 256;
    private static final int LENGTH_CODES = 29;
    private static final int L_CODES = LITERALS + 1 + LENGTH_CODES;
    private static final int D_CODES = 30;
    private static final int BL_CODES = 19;
    private static final int HEAP_SIZE = 2 * L_CODES + 1;
    private static final int MAX_BITS = 15;
    private static final int MAX_BL_BITS = 7;
    private static final int REP_3_6 = 16;
    private static final int REPZ_3_10 = 17;
    private static final int REPZ_11_138 = 18;
    private static final int DEPTH_BITS = 10;

    private static final int[] EXTRA_LBITS = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] EXTRA_DBITS = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    private static final int[] EXTRA_BLBITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7};
    private static final int[] BL_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private static final int[] BASE_LENGTH = new int[LENGTH_CODES];
    private static final int[] LENGTH_CODE = new int[MAX_MATCH - MIN_MATCH + 1];
    private static final int[] BASE_DIST = new int[D_CODES];
    private static final int[] DIST_CODE = new int[512];
    private static final int[] STATIC_LTREE_CODE = new int[L_CODES + 2];
    private static final int[] STATIC_LTREE_LEN = new int[L_CODES + 2];
    private static final int[] STATIC_DTREE_CODE = new int[D_CODES];
    private static final int[] STATIC_DTREE_LEN = new int[D_CODES];

    static {
        // trees.c tr_static_init
        int length = 0;
        int code;
        for (code = 0; code < LENGTH_CODES - 1; code++) {
            BASE_LENGTH[code] = length;
            for (int n = 0; n < (1 << EXTRA_LBITS[code]); n++) {
                LENGTH_CODE[length++] = code;
            }
        }
        LENGTH_CODE[length - 1] = code;
        int dist = 0;
        for (code = 0; code < 16; code++) {
            BASE_DIST[code] = dist;
            for (int n = 0; n < (1 << EXTRA_DBITS[code]); n++) {
                DIST_CODE[dist++] = code;
            }
        }
        dist >>= 7;
        for (; code < D_CODES; code++) {
            BASE_DIST[code] = dist << 7;
            for (int n = 0; n < (1 << (EXTRA_DBITS[code] - 7)); n++) {
                DIST_CODE[256 + dist++] = code;
            }
        }
        int[] blCount = new int[MAX_BITS + 1];
        int n = 0;
        while (n <= 143) {
            STATIC_LTREE_LEN[n++] = 8;
            blCount[8]++;
        }
        while (n <= 255) {
            STATIC_LTREE_LEN[n++] = 9;
            blCount[9]++;
        }
        while (n <= 279) {
            STATIC_LTREE_LEN[n++] = 7;
            blCount[7]++;
        }
        while (n <= 287) {
            STATIC_LTREE_LEN[n++] = 8;
            blCount[8]++;
        }
        genCodes(STATIC_LTREE_CODE, STATIC_LTREE_LEN, L_CODES + 1, blCount, new int[MAX_BITS + 1]);
        for (n = 0; n < D_CODES; n++) {
            STATIC_DTREE_LEN[n] = 5;
            STATIC_DTREE_CODE[n] = biReverse(n, 5);
        }
    }

    // The window (the input, then zeros where zlib's longest_match may look past its end), the hash chains
    // (0 means none, as zlib's NIL: zlib never matches position 0 either), and which hash heads were set.
    private final byte[] window = new byte[MAX_INPUT + MAX_MATCH + 8];
    private final char[] head = new char[1 << HASH_BITS];
    private final char[] prev = new char[MAX_INPUT];
    private final char[] touched = new char[MAX_INPUT];
    private int touchedCount;
    private int insH;

    // The symbols of the block: zlib's sym_buf (distance 0 for a literal), and the trees' frequencies.
    private final char[] symDist = new char[MAX_INPUT];
    private final byte[] symLc = new byte[MAX_INPUT];
    private int symNext;

    // zlib's ct_data as two arrays per tree: fc is Freq, then Code; dl is Dad, then Len.
    private final int[] ltreeFc = new int[HEAP_SIZE];
    private final int[] ltreeDl = new int[HEAP_SIZE];
    private final int[] dtreeFc = new int[2 * D_CODES + 1];
    private final int[] dtreeDl = new int[2 * D_CODES + 1];
    private final int[] bltreeFc = new int[2 * BL_CODES + 1];
    private final int[] bltreeDl = new int[2 * BL_CODES + 1];
    private final int[] heap = new int[HEAP_SIZE];
    private final int[] depth = new int[HEAP_SIZE];
    private final int[] rank = new int[HEAP_SIZE];
    private final int[] nextCode = new int[MAX_BITS + 1];
    private final int[] blCount = new int[MAX_BITS + 1];
    private int heapLen;
    private int heapMax;
    private long optLen;
    private long staticLen;
    private int lMaxCode;
    private int dMaxCode;

    // The output, and zlib's bit buffer.
    private static final byte[] EMPTY = new byte[0];
    private byte[] out = EMPTY;
    private int outLength;
    private long biBuf;
    private int biValid;

    /**
     * Compresses {@code data[0, length)} into a zlib stream, as {@code zlib.compress(data)} does, unless the
     * stream would be longer than {@code limit} bytes.
     *
     * @param length at most {@value #MAX_INPUT}
     * @return the stream, or null when it would exceed {@code limit}
     */
    byte @Nullable [] compress(byte[] data, int length, int limit) {
        if (length > MAX_INPUT) {
            throw new IllegalArgumentException("At most " + MAX_INPUT + " bytes");
        }
        if (limit < 8) {
            // the shortest zlib stream: header, an empty fixed block, trailer
            return null;
        }
        try {
            System.arraycopy(data, 0, window, 0, length);
            Arrays.fill(window, length, Math.min(window.length, length + MAX_MATCH + 8), (byte) 0);
            initBlock();
            deflateSlow(length);
            return finish(data, length, limit);
        } finally {
            for (int i = 0; i < touchedCount; i++) {
                head[touched[i]] = 0;
            }
            touchedCount = 0;
        }
    }

    /**
     * zlib's _tr_flush_block for the last block, then the Adler-32 trailer: the trees, zlib's choice between
     * fixed and dynamic codes (a stored block, always longer than the input, is never short enough), and the
     * stream, whose exact length zlib's bit counts give beforehand.
     */
    private byte @Nullable [] finish(byte[] data, int length, int limit) {
        lMaxCode = buildTree(ltreeFc, ltreeDl, L_CODES, STATIC_LTREE_LEN, EXTRA_LBITS, LITERALS + 1, MAX_BITS);
        dMaxCode = buildTree(dtreeFc, dtreeDl, D_CODES, STATIC_DTREE_LEN, EXTRA_DBITS, 0, MAX_BITS);
        int maxBlindex = buildBlTree();
        long optLenb = (optLen + 3 + 7) >>> 3;
        long staticLenb = (staticLen + 3 + 7) >>> 3;
        if (staticLenb <= optLenb) {
            optLenb = staticLenb;
        }
        // the header (2 bytes), the block, the trailer (4 bytes)
        long size = 2 + optLenb + 4;
        if (length + 4 <= optLenb || size > limit) {
            return null;
        }
        byte[] buffer = new byte[(int) size];
        out = buffer;
        // zlib's header for windowBits 15 at level 6: 0x78 0x9c
        buffer[0] = 0x78;
        buffer[1] = (byte) 0x9c;
        outLength = 2;
        biBuf = 0;
        biValid = 0;
        if (staticLenb == optLenb) {
            sendBits((1 << 1) + 1, 3);
            compressBlock(STATIC_LTREE_CODE, STATIC_LTREE_LEN, STATIC_DTREE_CODE, STATIC_DTREE_LEN);
        } else {
            sendBits((2 << 1) + 1, 3);
            sendAllTrees(lMaxCode + 1, dMaxCode + 1, maxBlindex + 1);
            compressBlock(ltreeFc, ltreeDl, dtreeFc, dtreeDl);
        }
        // bi_windup
        while (biValid > 0) {
            buffer[outLength++] = (byte) biBuf;
            biBuf >>>= 8;
            biValid -= 8;
        }
        int adler = adler32(data, length);
        buffer[outLength++] = (byte) (adler >>> 24);
        buffer[outLength++] = (byte) (adler >>> 16);
        buffer[outLength++] = (byte) (adler >>> 8);
        buffer[outLength++] = (byte) adler;
        out = EMPTY;
        if (outLength != size) {
            throw new IllegalStateException("Wrote " + outLength + " bytes where zlib's count says " + size);
        }
        return buffer;
    }

    private static int adler32(byte[] data, int length) {
        long a = 1;
        long b = 0;
        int i = 0;
        while (i < length) {
            // 5552 is zlib's NMAX: the most bytes before the sums must be reduced
            int end = Math.min(length, i + 5552);
            for (; i < end; i++) {
                a += data[i] & 0xff;
                b += a;
            }
            a %= 65521;
            b %= 65521;
        }
        return (int) ((b << 16) | a);
    }

    // ---- deflate.c -------------------------------------------------------------------------------------------

    /** zlib's INSERT_STRING: hashes the three bytes at {@code str}; returns the previous head of that chain. */
    private int insertString(int str) {
        int h = ((insH << HASH_SHIFT) ^ (window[str + MIN_MATCH - 1] & 0xff)) & HASH_MASK;
        insH = h;
        int match = head[h];
        if (match == 0) {
            touched[touchedCount++] = (char) h;
        }
        prev[str] = (char) match;
        head[h] = (char) str;
        return match;
    }

    /** zlib's deflate_slow with all input present and Z_FINISH: the whole input as one block of symbols. */
    private void deflateSlow(int length) {
        int strstart = 0;
        int lookahead = length;
        insH = 0;
        if (lookahead >= MIN_MATCH) {
            insH = window[0] & 0xff;
            insH = ((insH << HASH_SHIFT) ^ (window[1] & 0xff)) & HASH_MASK;
        }
        int matchLength = MIN_MATCH - 1;
        int matchStart = 0;
        boolean matchAvailable = false;
        while (lookahead != 0) {
            int hashHead = 0;
            if (lookahead >= MIN_MATCH) {
                hashHead = insertString(strstart);
            }
            int prevLength = matchLength;
            int prevMatch = matchStart;
            matchLength = MIN_MATCH - 1;
            if (hashHead != 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
                long found = longestMatch(hashHead, strstart, lookahead, prevLength);
                matchLength = (int) found;
                if (found >= 0) {
                    // (zlib leaves match_start alone when no match beats prev_length)
                    matchStart = (int) (found >>> 32);
                }
                if (matchLength == MIN_MATCH && strstart - matchStart > TOO_FAR) {
                    matchLength = MIN_MATCH - 1;
                }
            }
            if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
                int maxInsert = strstart + lookahead - MIN_MATCH;
                tallyDist(strstart - 1 - prevMatch, prevLength - MIN_MATCH);
                lookahead -= prevLength - 1;
                prevLength -= 2;
                do {
                    if (++strstart <= maxInsert) {
                        insertString(strstart);
                    }
                } while (--prevLength != 0);
                matchAvailable = false;
                matchLength = MIN_MATCH - 1;
                strstart++;
            } else if (matchAvailable) {
                tallyLit(window[strstart - 1] & 0xff);
                strstart++;
                lookahead--;
            } else {
                matchAvailable = true;
                strstart++;
                lookahead--;
            }
        }
        if (matchAvailable) {
            tallyLit(window[strstart - 1] & 0xff);
        }
    }

    /**
     * zlib's longest_match (the portable version): follows the chain from {@code curMatch}.
     *
     * @return the match start in the high 32 bits (negative when no match beat {@code prevLength}), the
     *     length (at most {@code lookahead}) in the low ones
     */
    private long longestMatch(int curMatch, int strstart, int lookahead, int prevLength) {
        byte[] w = window;
        int chainLength = MAX_CHAIN;
        int bestLen = prevLength;
        int niceMatch = NICE_LENGTH;
        int limit = strstart > MAX_DIST ? strstart - MAX_DIST : 0;
        int strend = strstart + MAX_MATCH;
        byte scanEnd1 = w[strstart + bestLen - 1];
        byte scanEnd = w[strstart + bestLen];
        int matchStart = -1;
        if (prevLength >= GOOD_LENGTH) {
            chainLength >>= 2;
        }
        if (niceMatch > lookahead) {
            niceMatch = lookahead;
        }
        do {
            int match = curMatch;
            if (w[match + bestLen] != scanEnd || w[match + bestLen - 1] != scanEnd1 || w[match] != w[strstart]
                    || w[match + 1] != w[strstart + 1]) {
                continue;
            }
            // The third byte is equal when the hash is; compare from the fourth, up to MAX_MATCH.
            int scan = strstart + 3;
            match += 3;
            while (scan < strend && w[scan] == w[match]) {
                scan++;
                match++;
            }
            int len = scan - strstart;
            if (len > bestLen) {
                matchStart = curMatch;
                bestLen = len;
                if (len >= niceMatch) {
                    break;
                }
                scanEnd1 = w[strstart + bestLen - 1];
                scanEnd = w[strstart + bestLen];
            }
        } while ((curMatch = prev[curMatch]) > limit && --chainLength != 0);
        int length = Math.min(bestLen, lookahead);
        return ((long) matchStart << 32) | length;
    }

    private void tallyLit(int c) {
        symDist[symNext] = 0;
        symLc[symNext++] = (byte) c;
        ltreeFc[c]++;
    }

    private void tallyDist(int dist, int lc) {
        symDist[symNext] = (char) dist;
        symLc[symNext++] = (byte) lc;
        dist--;
        ltreeFc[LENGTH_CODE[lc] + LITERALS + 1]++;
        dtreeFc[dCode(dist)]++;
    }

    private static int dCode(int dist) {
        return dist < 256 ? DIST_CODE[dist] : DIST_CODE[256 + (dist >>> 7)];
    }

    // ---- trees.c ---------------------------------------------------------------------------------------------

    private void initBlock() {
        Arrays.fill(ltreeFc, 0, L_CODES, 0);
        Arrays.fill(dtreeFc, 0, D_CODES, 0);
        Arrays.fill(bltreeFc, 0, BL_CODES, 0);
        ltreeFc[END_BLOCK] = 1;
        optLen = 0;
        staticLen = 0;
        symNext = 0;
    }

    /**
     * zlib's pqdownheap. Its {@code smaller(n, m)} (a lower frequency, or the same and a depth no greater) is
     * {@code rank[n] <= rank[m]}, the frequency and the depth in one int (frequencies stay below 2^14 here).
     */
    private void pqdownheap(int k) {
        int[] rank = this.rank;
        int v = heap[k];
        int vRank = rank[v];
        int j = k << 1;
        while (j <= heapLen) {
            if (j < heapLen && rank[heap[j + 1]] <= rank[heap[j]]) {
                j++;
            }
            if (vRank <= rank[heap[j]]) {
                break;
            }
            heap[k] = heap[j];
            k = j;
            j <<= 1;
        }
        heap[k] = v;
    }

    /** zlib's build_tree, gen_bitlen and gen_codes; {@code staticLens} null for the bit-length tree. */
    private int buildTree(int[] fc, int[] dl, int elems, int @Nullable [] staticLens, int[] extra, int base,
            int maxLength) {
        int maxCode = -1;
        heapLen = 0;
        heapMax = HEAP_SIZE;
        for (int n = 0; n < elems; n++) {
            if (fc[n] != 0) {
                heap[++heapLen] = maxCode = n;
                depth[n] = 0;
                rank[n] = fc[n] << DEPTH_BITS;
            } else {
                dl[n] = 0;
            }
        }
        while (heapLen < 2) {
            int node = heap[++heapLen] = maxCode < 2 ? ++maxCode : 0;
            fc[node] = 1;
            depth[node] = 0;
            rank[node] = 1 << DEPTH_BITS;
            optLen--;
            if (staticLens != null) {
                staticLen -= staticLens[node];
            }
        }
        for (int n = heapLen / 2; n >= 1; n--) {
            pqdownheap(n);
        }
        int node = elems;
        do {
            int n = heap[1];
            heap[1] = heap[heapLen--];
            pqdownheap(1);
            int m = heap[1];
            heap[--heapMax] = n;
            heap[--heapMax] = m;
            fc[node] = fc[n] + fc[m];
            depth[node] = Math.max(depth[n], depth[m]) + 1;
            rank[node] = (fc[node] << DEPTH_BITS) | depth[node];
            dl[n] = node;
            dl[m] = node;
            heap[1] = node++;
            pqdownheap(1);
        } while (heapLen >= 2);
        heap[--heapMax] = heap[1];
        genBitlen(fc, dl, maxCode, staticLens, extra, base, maxLength);
        genCodes(fc, dl, maxCode, blCount, nextCode);
        return maxCode;
    }

    private void genBitlen(int[] fc, int[] dl, int maxCode, int @Nullable [] staticLens, int[] extra, int base,
            int maxLength) {
        Arrays.fill(blCount, 0);
        dl[heap[heapMax]] = 0;
        int overflow = 0;
        int h;
        for (h = heapMax + 1; h < HEAP_SIZE; h++) {
            int n = heap[h];
            int bits = dl[dl[n]] + 1;
            if (bits > maxLength) {
                bits = maxLength;
                overflow++;
            }
            dl[n] = bits;
            if (n > maxCode) {
                continue;
            }
            blCount[bits]++;
            int xbits = n >= base ? extra[n - base] : 0;
            long f = fc[n];
            optLen += f * (bits + xbits);
            if (staticLens != null) {
                staticLen += f * (staticLens[n] + xbits);
            }
        }
        if (overflow == 0) {
            return;
        }
        do {
            int bits = maxLength - 1;
            while (blCount[bits] == 0) {
                bits--;
            }
            blCount[bits]--;
            blCount[bits + 1] += 2;
            blCount[maxLength]--;
            overflow -= 2;
        } while (overflow > 0);
        for (int bits = maxLength; bits != 0; bits--) {
            int n = blCount[bits];
            while (n != 0) {
                int m = heap[--h];
                if (m > maxCode) {
                    continue;
                }
                if (dl[m] != bits) {
                    optLen += ((long) bits - dl[m]) * fc[m];
                    dl[m] = bits;
                }
                n--;
            }
        }
    }

    /** zlib's gen_codes: the codes, bit-reversed, into {@code code} from the lengths in {@code len}. */
    private static void genCodes(int[] code, int[] len, int maxCode, int[] blCount, int[] nextCode) {
        int c = 0;
        for (int bits = 1; bits <= MAX_BITS; bits++) {
            c = (c + blCount[bits - 1]) << 1;
            nextCode[bits] = c;
        }
        for (int n = 0; n <= maxCode; n++) {
            int l = len[n];
            if (l == 0) {
                continue;
            }
            code[n] = biReverse(nextCode[l]++, l);
        }
    }

    private static int biReverse(int code, int len) {
        return Integer.reverse(code) >>> (32 - len);
    }

    /**
     * zlib's scan_tree ({@code send} false: counts the bit-length codes that would describe a tree's code
     * lengths) and send_tree ({@code send} true: writes them), one walk of the lengths for both, as in zlib.
     */
    private void walkTree(int[] dl, int maxCode, boolean send) {
        int prevlen = -1;
        int nextlen = dl[0];
        int count = 0;
        int maxCount = 7;
        int minCount = 4;
        if (nextlen == 0) {
            maxCount = 138;
            minCount = 3;
        }
        if (!send) {
            dl[maxCode + 1] = 0xffff; // a guard
        }
        for (int n = 0; n <= maxCode; n++) {
            int curlen = nextlen;
            nextlen = dl[n + 1];
            if (++count < maxCount && curlen == nextlen) {
                continue;
            } else if (count < minCount) {
                if (send) {
                    do {
                        sendCode(curlen);
                    } while (--count != 0);
                } else {
                    bltreeFc[curlen] += count;
                }
            } else if (curlen != 0) {
                if (curlen != prevlen) {
                    bl(curlen, send);
                    count--;
                }
                bl(REP_3_6, send);
                if (send) {
                    sendBits(count - 3, 2);
                }
            } else if (count <= 10) {
                bl(REPZ_3_10, send);
                if (send) {
                    sendBits(count - 3, 3);
                }
            } else {
                bl(REPZ_11_138, send);
                if (send) {
                    sendBits(count - 11, 7);
                }
            }
            count = 0;
            prevlen = curlen;
            if (nextlen == 0) {
                maxCount = 138;
                minCount = 3;
            } else if (curlen == nextlen) {
                maxCount = 6;
                minCount = 3;
            } else {
                maxCount = 7;
                minCount = 4;
            }
        }
    }

    /** One bit-length code: written, or counted. */
    private void bl(int code, boolean send) {
        if (send) {
            sendCode(code);
        } else {
            bltreeFc[code]++;
        }
    }

    private void sendCode(int code) {
        sendBits(bltreeFc[code], bltreeDl[code]);
    }

    private int buildBlTree() {
        walkTree(ltreeDl, lMaxCode, false);
        walkTree(dtreeDl, dMaxCode, false);
        buildTree(bltreeFc, bltreeDl, BL_CODES, null, EXTRA_BLBITS, 0, MAX_BL_BITS);
        int maxBlindex;
        for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--) {
            if (bltreeDl[BL_ORDER[maxBlindex]] != 0) {
                break;
            }
        }
        optLen += 3 * ((long) maxBlindex + 1) + 5 + 5 + 4;
        return maxBlindex;
    }

    private void sendAllTrees(int lcodes, int dcodes, int blcodes) {
        sendBits(lcodes - 257, 5);
        sendBits(dcodes - 1, 5);
        sendBits(blcodes - 4, 4);
        for (int rank = 0; rank < blcodes; rank++) {
            sendBits(bltreeDl[BL_ORDER[rank]], 3);
        }
        walkTree(ltreeDl, lcodes - 1, true);
        walkTree(dtreeDl, dcodes - 1, true);
    }

    private void compressBlock(int[] lcode, int[] llen, int[] dcode, int[] dlen) {
        for (int sx = 0; sx < symNext; sx++) {
            int dist = symDist[sx];
            int lc = symLc[sx] & 0xff;
            if (dist == 0) {
                sendBits(lcode[lc], llen[lc]);
            } else {
                int code = LENGTH_CODE[lc];
                sendBits(lcode[code + LITERALS + 1], llen[code + LITERALS + 1]);
                int extra = EXTRA_LBITS[code];
                if (extra != 0) {
                    sendBits(lc - BASE_LENGTH[code], extra);
                }
                dist--;
                code = dCode(dist);
                sendBits(dcode[code], dlen[code]);
                extra = EXTRA_DBITS[code];
                if (extra != 0) {
                    sendBits(dist - BASE_DIST[code], extra);
                }
            }
        }
        sendBits(lcode[END_BLOCK], llen[END_BLOCK]);
    }

    // ---- output ----------------------------------------------------------------------------------------------

    /** zlib's send_bits, 32 bits at a time (a code or its extra bits are at most 16). */
    private void sendBits(int value, int length) {
        long buf = biBuf | ((long) value << biValid);
        int valid = biValid + length;
        if (valid >= 32) {
            byte[] buffer = out;
            int at = outLength;
            buffer[at] = (byte) buf;
            buffer[at + 1] = (byte) (buf >>> 8);
            buffer[at + 2] = (byte) (buf >>> 16);
            buffer[at + 3] = (byte) (buf >>> 24);
            outLength = at + 4;
            buf >>>= 32;
            valid -= 32;
        }
        biBuf = buf;
        biValid = valid;
    }
}
