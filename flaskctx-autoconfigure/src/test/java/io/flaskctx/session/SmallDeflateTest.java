package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * zlib's algorithm in Java ({@link SmallDeflate}) writes what zlib writes: byte for byte what Python's
 * {@code zlib.compress} wrote for the inputs of {@code zlib_vectors.py}, and what this JVM's {@code Deflater}
 * (a system zlib on one JDK, a bundled one on another) writes for {@link #INPUTS} seeded inputs of every shape (random,
 * hex, JSON-like, runs, repeats at every distance, skewed frequencies that overflow the code-length limits).
 * Then {@link Zlib#compressIfShorter} keeps itsdangerous's rule at the limit.
 */
class SmallDeflateTest {

    /**
     * 2·10⁴ in the normal run; {@code -Dflaskctx.fuzz.zlib=1000000} for a longer one (2·10⁵ such inputs matched
     * on JDK 17 and JDK 25 when this was written).
     */
    private static final int INPUTS = Integer.getInteger("flaskctx.fuzz.zlib", 20_000);

    private final SmallDeflate small = new SmallDeflate();

    @Test
    @SuppressWarnings("unchecked")
    void writesWhatPythonsZlibWrites() {
        Map<String, Object> out = Vectors.read("zlib_vectors.out.json");
        List<Map<String, Object>> vectors = (List<Map<String, Object>>) out.get("vectors");
        assertThat(vectors).hasSizeGreaterThan(100);
        int compared = 0;
        for (Map<String, Object> vector : vectors) {
            byte[] input = Base64.getDecoder().decode((String) vector.get("input"));
            byte[] python = Base64.getDecoder().decode((String) vector.get("zlib"));
            byte[] java = small.compress(input, input.length, input.length + 64);
            if (java == null) {
                // a stored block: zlib's output is longer than the input, never kept for a cookie
                assertThat(python.length).as(vector.get("kind") + " of " + input.length).isGreaterThan(input.length);
                continue;
            }
            assertThat(java).as(vector.get("kind") + " of " + input.length + " bytes").isEqualTo(python);
            compared++;
        }
        assertThat(compared).isGreaterThan(90);
    }

    @Test
    void writesWhatTheJdksZlibWritesForEveryShapeOfInput() {
        Random random = new Random(21);
        int compared = 0;
        int stored = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = input(random, i);
            byte[] jdk = jdk(input);
            byte[] java = small.compress(input, input.length, input.length + 64);
            if (java == null) {
                assertThat(jdk.length).as("stored block for %s bytes", input.length).isEqualTo(input.length + 11);
                stored++;
                continue;
            }
            if (!Arrays.equals(java, jdk)) {
                assertThat(java).as("input %d (%d bytes): %s", i, input.length,
                        Base64.getEncoder().encodeToString(input)).isEqualTo(jdk);
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(INPUTS * 7 / 10);
        assertThat(stored).isPositive();
    }

    @Test
    void givesNothingWhenTheStreamWouldPassTheLimit() {
        byte[] input = input(new Random(5), 2);
        byte[] whole = jdk(input);

        assertThat(small.compress(input, input.length, whole.length)).isEqualTo(whole);
        assertThat(small.compress(input, input.length, whole.length - 1)).isNull();
        // and the instance is clean for the next stream
        assertThat(small.compress(input, input.length, whole.length)).isEqualTo(whole);
    }

    @Test
    void keepsItsdangerousRuleOfTwoBytesShorter() {
        Random random = new Random(9);
        for (int i = 0; i < 2_000; i++) {
            byte[] input = input(random, i);
            byte[] jdk = jdk(input);
            byte[] kept = Zlib.compressIfShorter(input);
            // itsdangerous: compressed when len(compressed) < len(json) - 1
            if (jdk.length < input.length - 1) {
                assertThat(kept).isEqualTo(jdk);
            } else {
                assertThat(kept).isNull();
            }
        }
    }

    @Test
    void compressesLongerPayloadsWithTheJdksDeflater() {
        byte[] input = new byte[SmallDeflate.MAX_INPUT * 3];
        Random random = new Random(3);
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) "0123456789abcdef".charAt(random.nextInt(16));
        }

        assertThat(Zlib.compressIfShorter(input)).isEqualTo(jdk(input));
    }

    private static byte[] jdk(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(input);
            deflater.finish();
            byte[] out = new byte[input.length + 64];
            int length = 0;
            while (!deflater.finished()) {
                length += deflater.deflate(out, length, out.length - length);
            }
            return Arrays.copyOf(out, length);
        } finally {
            deflater.end();
        }
    }

    /** Inputs of many shapes, up to {@link SmallDeflate#MAX_INPUT} bytes. */
    static byte[] input(Random random, int i) {
        int length = random.nextInt(i % 10 == 0 ? SmallDeflate.MAX_INPUT + 1 : 600);
        int shape = random.nextInt(8);
        if (shape == 7) {
            return skewed(random);
        }
        byte[] data = new byte[length];
        String jsonish = "{}\":,_abcdefghijklmnopqrstuvwxyz0123456789 ";
        for (int j = 0; j < length; j++) {
            data[j] = switch (shape) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) jsonish.charAt(random.nextInt(jsonish.length()));
                case 2 -> (byte) "0123456789abcdef".charAt(random.nextInt(16));
                case 3 -> (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : 'a');
                case 4 -> j > 20 && random.nextInt(3) > 0
                        ? data[j - 1 - random.nextInt(Math.min(j, random.nextBoolean() ? 20 : 5000))]
                        : (byte) random.nextInt(4);
                case 5 -> j > 300 && random.nextInt(50) > 0 ? data[j - 1 - random.nextInt(Math.min(j, 300))]
                        : (byte) random.nextInt(256);
                default -> (byte) random.nextInt(3);
            };
        }
        return data;
    }

    /** Symbol counts growing as Fibonacci numbers: Huffman codes longer than zlib allows, which it then limits. */
    private static byte[] skewed(Random random) {
        List<Byte> symbols = new ArrayList<>();
        int a = 1;
        int b = 1;
        int symbol = random.nextInt(200);
        while (symbols.size() < SmallDeflate.MAX_INPUT) {
            for (int k = 0; k < a && symbols.size() < SmallDeflate.MAX_INPUT; k++) {
                symbols.add((byte) symbol);
            }
            symbol = (symbol + 1 + random.nextInt(3)) & 0xff;
            int next = a + b;
            a = b;
            b = next;
        }
        Collections.shuffle(symbols, random);
        byte[] data = new byte[symbols.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = symbols.get(i);
        }
        return data;
    }
}
