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
 * {@link Zlib#compressIfShorter} writes what Python's {@code zlib.compress} wrote for the inputs of
 * {@code zlib_vectors.py}, keeps itsdangerous's rule at the limit, and a pooled, reset {@code Deflater} writes for
 * each of many inputs in a row what a fresh one writes.
 */
class ZlibTest {

    /** The largest input the generator makes: more than a cookie holds. */
    private static final int MAX_INPUT = 8192;

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
            byte[] java = Zlib.compressIfShorter(input);
            if (python.length >= input.length - 1) {
                // itsdangerous keeps such a payload uncompressed
                assertThat(java).as(vector.get("kind") + " of " + input.length).isNull();
                continue;
            }
            assertThat(java).as(vector.get("kind") + " of " + input.length + " bytes").isEqualTo(python);
            compared++;
        }
        assertThat(compared).isGreaterThan(80);
    }

    @Test
    void keepsItsdangerousRuleOfTwoBytesShorter() {
        Random random = new Random(9);
        for (int i = 0; i < 5_000; i++) {
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

    /** What a fresh JDK {@code Deflater} writes at the default level. */
    static byte[] jdk(byte[] input) {
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

    /** Inputs of many shapes, up to {@link #MAX_INPUT} bytes. */
    static byte[] input(Random random, int i) {
        int length = random.nextInt(i % 10 == 0 ? MAX_INPUT + 1 : 600);
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
        while (symbols.size() < MAX_INPUT) {
            for (int k = 0; k < a && symbols.size() < MAX_INPUT; k++) {
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
