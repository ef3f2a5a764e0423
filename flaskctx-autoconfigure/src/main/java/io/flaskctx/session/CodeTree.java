package io.flaskctx.session;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One of a deflate block's three Huffman codes on the writing side (literals and lengths, distances, code
 * lengths), built from symbol counts by zlib's own rules so that {@link Deflate} writes zlib's bytes: the same
 * heap order and tie-breaks (lower count first, then the shallower subtree), at least two codes even when fewer
 * symbols occur, zlib's way of shortening codes longer than the format allows, and its run-length encoding of the
 * code lengths in a dynamic block's header. Also tallies what the block costs in bits with this code
 * ({@link #optimalBits}) and with the fixed code ({@link #fixedBits}), from which zlib picks the block's type.
 *
 * <p>zlib walks the whole alphabet (286 symbols) at each step; a session's JSON uses a few dozen. Here each step
 * walks only the symbols that occur (kept in a bit set as they are counted), and the lengths' run-length coding
 * takes each run of equal lengths at once, which gives zlib's symbols: its rules cut a run into pieces of known
 * sizes.
 */
final class CodeTree {

    /** The longest code of any of the three codes (RFC 1951, 3.2.7). */
    static final int MAX_BITS = 15;

    /** A heap entry's low bits: the node (the literal code's 286 symbols and 285 inner nodes fit in 10). */
    private static final int NODE_BITS = 10;
    private static final long NODE_MASK = (1 << NODE_BITS) - 1;

    private final int maxLength;
    private final int extraBase;
    private final int[] extraBits;
    private final int @Nullable [] fixedLengths;

    /** Per symbol: the count. */
    private final int[] freq;
    /** Per symbol, then per inner node: the code's length (0 for a symbol without a code). */
    final int[] len;
    private final int[] parent;
    /** Per symbol: the code, bit-reversed, ready to be written first bit lowest. */
    final int[] code;

    /** The symbols counted, one bit each; after {@link #build()}, also listed in order in {@link #used}. */
    private final long[] counted;
    private final int[] used;
    private int usedCount;

    /**
     * zlib's heap while the code is built, each entry a node's key and the node: {@code (count << 8 | depth) <<
     * NODE_BITS | node}, the depth being its subtree's. zlib's order (the lower count first, then the shallower
     * subtree) compares the keys alone, which one comparison of whole entries does ({@link #smaller}), with no
     * look-up of the nodes.
     */
    private final long[] heap;
    /** The nodes as the heap gives them up, the least frequent last: what the lengths are read from. */
    private final int[] sorted;
    private final int[] lengthCount = new int[MAX_BITS + 1];
    private final int[] nextCode = new int[MAX_BITS + 1];

    /**
     * For the code-length code: the symbols that send the other codes' lengths, in order, each with its extra bits
     * ({@code extra << 8 | extraBits << 5 | symbol}), listed as they are counted and written from here, so that
     * zlib's grouping of the lengths runs once.
     */
    private final int[] listed;
    private int listedCount;

    /** The largest symbol with a code, after {@link #build()}. */
    int maxCode;
    /** The block's bits with this code: each symbol's code and extra bits, after {@link #build()}. */
    long optimalBits;
    /** The same with the fixed code (when this code has one), after {@link #build()}. */
    long fixedBits;

    /**
     * @param symbols how many symbols the alphabet has
     * @param maxLength the longest code allowed
     * @param extraBase the first symbol that carries extra bits
     * @param extraBits the extra bits of the symbols from {@code extraBase} on
     * @param fixedLengths the fixed code's lengths, or null when the alphabet has no fixed code
     * @param listRoom how many symbols {@link #countLengths} may list in this code: for the code-length code, the
     *     lengths of the codes it sends (each length is sent by at most one symbol); 0 for the others
     */
    CodeTree(int symbols, int maxLength, int extraBase, int[] extraBits, int @Nullable [] fixedLengths,
            int listRoom) {
        this.maxLength = maxLength;
        this.extraBase = extraBase;
        this.extraBits = extraBits;
        this.fixedLengths = fixedLengths;
        int nodes = 2 * symbols + 1;
        freq = new int[symbols];
        len = new int[nodes];
        parent = new int[nodes];
        code = new int[symbols];
        counted = new long[(symbols + 63) >>> 6];
        used = new int[symbols];
        if (nodes > NODE_MASK + 1) {
            throw new IllegalArgumentException("More nodes than a heap entry holds: " + nodes);
        }
        heap = new long[nodes];
        sorted = new int[nodes];
        listed = new int[listRoom];
    }

    /** Counts one more {@code symbol}. */
    void count(int symbol) {
        freq[symbol]++;
        counted[symbol >>> 6] |= 1L << symbol;
    }

    /** Forgets the last block: its counts (built into a code or not), lengths and codes. */
    void clear() {
        for (int word = 0; word < counted.length; word++) {
            for (long bits = counted[word]; bits != 0; bits &= bits - 1) {
                freq[word << 6 | Long.numberOfTrailingZeros(bits)] = 0;
            }
            counted[word] = 0;
        }
        for (int i = 0; i < usedCount; i++) {
            int n = used[i];
            freq[n] = 0;
            len[n] = 0;
            code[n] = 0;
        }
        usedCount = 0;
        Arrays.fill(listed, 0, listedCount, 0);
        listedCount = 0;
    }

    /** Builds the code from the counts: the lengths, the codes, {@link #maxCode} and the costs. */
    void build() {
        usedCount = 0;
        for (int word = 0; word < counted.length; word++) {
            for (long bits = counted[word]; bits != 0; bits &= bits - 1) {
                used[usedCount++] = word << 6 | Long.numberOfTrailingZeros(bits);
            }
        }
        int heapLength = 0;
        int heapMax = sorted.length;
        int max = -1;
        optimalBits = 0;
        fixedBits = 0;
        for (int i = 0; i < usedCount; i++) {
            int n = used[i];
            heap[++heapLength] = entry(freq[n], 0, n);
            max = n;
        }
        // zlib gives at least two symbols a code, even when fewer occur: the first ones above the largest, or 0.
        while (heapLength < 2) {
            int node = max < 2 ? ++max : 0;
            heap[++heapLength] = entry(1, 0, node);
            freq[node] = 1;
            optimalBits--;
            if (fixedLengths != null) {
                fixedBits -= fixedLengths[node];
            }
            if (node == 0) {
                System.arraycopy(used, 0, used, 1, usedCount);
                used[0] = 0;
                usedCount++;
            } else {
                used[usedCount++] = node;
            }
        }
        maxCode = max;
        for (int n = heapLength / 2; n >= 1; n--) {
            siftDown(n, heapLength);
        }
        // Join the two least frequent nodes until one is left, listing every node in order of frequency at the
        // end of the sorted nodes, which the lengths are then read from.
        int node = code.length;
        do {
            long n = heap[1];
            heap[1] = heap[heapLength--];
            siftDown(1, heapLength);
            long m = heap[1];
            int nNode = (int) (n & NODE_MASK);
            int mNode = (int) (m & NODE_MASK);
            sorted[--heapMax] = nNode;
            sorted[--heapMax] = mNode;
            long nKey = n >>> NODE_BITS;
            long mKey = m >>> NODE_BITS;
            parent[nNode] = node;
            parent[mNode] = node;
            heap[1] = entry((nKey >>> 8) + (mKey >>> 8), Math.max(nKey & 0xff, mKey & 0xff) + 1, node++);
            siftDown(1, heapLength);
        } while (heapLength >= 2);
        sorted[--heapMax] = (int) (heap[1] & NODE_MASK);
        lengths(heapMax);
        canonicalCodes(len, used, usedCount, lengthCount, nextCode, code);
    }

    private static long entry(long count, long depth, int node) {
        return (count << 8 | depth) << NODE_BITS | node;
    }

    /**
     * zlib's order: the lower count first, and of equal counts the shallower subtree (or the same depth). With the
     * node in the low bits, {@code a}'s key is at most {@code b}'s exactly when {@code a} is at most {@code b} with
     * its node bits all set.
     */
    private static boolean smaller(long a, long b) {
        return a <= (b | NODE_MASK);
    }

    private void siftDown(int k, int heapLength) {
        long v = heap[k];
        int j = k << 1;
        while (j <= heapLength) {
            long child = heap[j];
            if (j < heapLength) {
                long right = heap[j + 1];
                if (smaller(right, child)) {
                    child = right;
                    j++;
                }
            }
            if (smaller(v, child)) {
                break;
            }
            heap[k] = child;
            k = j;
            j <<= 1;
        }
        heap[k] = v;
    }

    /**
     * Each leaf's depth as its code length and the block's costs. Depths past {@link #maxLength} are capped there,
     * which leaves too many codes of that length; then the counts per length are mended and the lengths handed
     * out again ({@link #mend}, {@link #relabel}), as zlib does.
     */
    private void lengths(int heapMax) {
        Arrays.fill(lengthCount, 0);
        int capped = 0;
        len[sorted[heapMax]] = 0;
        for (int h = heapMax + 1; h < sorted.length; h++) {
            int n = sorted[h];
            int bits = len[parent[n]] + 1;
            if (bits > maxLength) {
                bits = maxLength;
                capped++; // inner nodes too: each capped node stands for a leaf below it
            }
            len[n] = bits;
            if (n > maxCode) {
                continue; // an inner node
            }
            lengthCount[bits]++;
            int extra = n >= extraBase ? extraBits[n - extraBase] : 0;
            optimalBits += (long) freq[n] * (bits + extra);
            if (fixedLengths != null) {
                fixedBits += (long) freq[n] * (fixedLengths[n] + extra);
            }
        }
        if (capped > 0) {
            mend(capped);
            relabel();
        }
    }

    /**
     * Mends the counts of codes per length after {@code capped} nodes were capped: each step takes a leaf from
     * the longest length below the cap that has one and makes it one bit longer, where a capped leaf joins it as
     * its sibling, so two capped codes fit where there was room for one.
     */
    private void mend(int capped) {
        for (; capped > 0; capped -= 2) {
            int bits = maxLength - 1;
            while (lengthCount[bits] == 0) {
                bits--;
            }
            lengthCount[bits]--;
            lengthCount[bits + 1] += 2;
            lengthCount[maxLength]--;
        }
    }

    /** Hands the mended lengths out again: the longest to the least frequent leaves (the end of {@link #sorted}). */
    private void relabel() {
        int h = sorted.length;
        for (int bits = maxLength; bits != 0; bits--) {
            for (int left = lengthCount[bits]; left != 0; ) {
                int m = sorted[--h];
                if (m > maxCode) {
                    continue;
                }
                if (len[m] != bits) {
                    optimalBits += (long) (bits - len[m]) * freq[m];
                    len[m] = bits;
                }
                left--;
            }
        }
    }

    /**
     * Gives {@code symbols[0..count)} (in increasing order) their canonical codes (RFC 1951, 3.2.2), bit-reversed,
     * from their {@code lengths} and the count of codes of each length ({@code lengthCount}, index 0 holding 0);
     * {@code nextCode} is room for {@link #MAX_BITS} + 1 values.
     */
    static void canonicalCodes(int[] lengths, int[] symbols, int count, int[] lengthCount, int[] nextCode,
            int[] codes) {
        int next = 0;
        for (int bits = 1; bits <= MAX_BITS; bits++) {
            next = (next + lengthCount[bits - 1]) << 1;
            nextCode[bits] = next;
        }
        for (int i = 0; i < count; i++) {
            int n = symbols[i];
            int length = lengths[n];
            if (length != 0) {
                codes[n] = Integer.reverse(nextCode[length]++) >>> (32 - length);
            }
        }
    }

    /** Writes with this code the code-length symbols listed in it by {@link #countLengths}, in their order. */
    void sendListed(BitWriter out) {
        for (int i = 0; i < listedCount; i++) {
            int entry = listed[i];
            int symbol = entry & 0x1F;
            out.bits(code[symbol], len[symbol]);
            int extraBits = entry >>> 5 & 0x7;
            if (extraBits != 0) {
                out.bits(entry >>> 8, extraBits);
            }
        }
    }

    /**
     * Counts, in {@code lengthsCode}'s {@link #freq}, the symbols that send this code's lengths: a length, 16
     * (repeat the last 3-6 times), 17 (3-10 zeros) or 18 (11-138 zeros); and lists them in {@code lengthsCode},
     * after those of the codes counted before, for {@link #sendListed}.
     *
     * <p>They are grouped as zlib's {@code scan_tree} and {@code send_tree} group them, a run of equal lengths at a
     * time: the symbols without a code between two that have one are a run of zeros, and symbols next to each other
     * with the same length a run of that length. zlib cuts a run of zeros into pieces of 138 (the last one shorter),
     * and a run of a length into a first piece of up to 7 (the length, then a repeat) and further ones of up to 6
     * (repeats only); a piece shorter than a repeat is sent as it is.
     */
    void countLengths(CodeTree lengthsCode) {
        int previous = -1;
        int next = 0;
        for (int i = 0; i < usedCount; i++) {
            int n = used[i];
            if (n > next) {
                zeros(n - next, lengthsCode);
                previous = 0;
            }
            int length = len[n];
            int run = 1;
            while (i + 1 < usedCount && used[i + 1] == n + run && len[n + run] == length) {
                run++;
                i++;
            }
            repeats(length, run, previous, lengthsCode);
            previous = length;
            next = n + run;
        }
    }

    private static void zeros(int run, CodeTree lengthsCode) {
        for (; run > 138; run -= 138) {
            lengthsCode.list(18, 138 - 11, 7);
        }
        if (run < 3) {
            for (int k = 0; k < run; k++) {
                lengthsCode.list(0, 0, 0);
            }
        } else if (run <= 10) {
            lengthsCode.list(17, run - 3, 3);
        } else {
            lengthsCode.list(18, run - 11, 7);
        }
    }

    private static void repeats(int length, int run, int previous, CodeTree lengthsCode) {
        int piece = Math.min(run, 7);
        if (piece < 4) {
            for (int k = 0; k < piece; k++) {
                lengthsCode.list(length, 0, 0);
            }
        } else {
            int repeat = piece;
            if (length != previous) {
                lengthsCode.list(length, 0, 0);
                repeat--;
            }
            lengthsCode.list(16, repeat - 3, 2);
        }
        for (run -= piece; run > 0; run -= piece) {
            piece = Math.min(run, 6);
            if (piece < 3) {
                for (int k = 0; k < piece; k++) {
                    lengthsCode.list(length, 0, 0);
                }
            } else {
                lengthsCode.list(16, piece - 3, 2);
            }
        }
    }

    /** Counts one code-length symbol and lists it with its extra bits. */
    private void list(int symbol, int extra, int extraBits) {
        count(symbol);
        listed[listedCount++] = extra << 8 | extraBits << 5 | symbol;
    }
}
