package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * {@link Deflate} writes, byte for byte, what Python's {@code zlib.compress} writes: for the cases of
 * {@code zlib_deflate_cases.py} (each of zlib's decisions at its default level) and, since the JDK's zlib writes
 * the same bytes, for thousands of generated inputs of every shape up to {@link Deflate#MAX_INPUT}; past it,
 * {@link Zlib} hands longer payloads to the JDK's zlib.
 */
class DeflateTest {

    @Test
    void writesWhatPythonsZlibWrites() throws Exception {
        List<Map<String, Object>> cases = Vectors.read("zlib_deflate_cases.out.json", "cases");
        assertThat(cases).hasSizeGreaterThan(600);
        int[] blockTypes = new int[3];
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            byte[] python = Base64.getDecoder().decode((String) c.get("zlib"));
            byte[] input = inflate(python);
            assertThat(input).as(name).hasSize((Integer) c.get("length"));
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input))).as(name)
                    .isEqualTo(c.get("sha256"));
            int blockType = (python[2] >> 1) & 3;
            blockTypes[blockType]++;
            byte[] ours = Deflate.compress(input, Integer.MAX_VALUE);
            if (blockType == 0) {
                // zlib stored the input: never shorter than it, so flaskctx writes nothing and keeps it as is
                assertThat(python.length).as(name).isGreaterThan(input.length);
                assertThat(ours).as(name).isNull();
            } else {
                assertThat(ours).as(name).isEqualTo(python);
            }
            // itsdangerous's rule on top: compressed when len(compressed) < len(json) - 1
            assertThat(Zlib.compressIfShorter(input)).as(name)
                    .isEqualTo(python.length < input.length - 1 ? python : null);
        }
        assertThat(blockTypes[0]).as("stored").isGreaterThan(10);
        assertThat(blockTypes[1]).as("fixed").isGreaterThan(100);
        assertThat(blockTypes[2]).as("dynamic").isGreaterThan(300);
    }

    @Test
    void writesWhatTheJdksZlibWritesForInputsOfEveryShapeAndSize() {
        Random random = new Random(1996);
        int compared = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] input = ZlibTest.input(random, i);
            if (i % 3 == 0) {
                input = grown(random, input);
            }
            byte[] jdk = ZlibTest.jdk(input);
            byte[] ours = Deflate.compress(input, Integer.MAX_VALUE);
            if (ours == null) {
                assertThat(jdk.length).as("input %d of %d bytes, stored by zlib", i, input.length)
                        .isGreaterThan(input.length);
            } else {
                assertThat(ours).as("input %d of %d bytes", i, input.length).isEqualTo(jdk);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(4_000);
    }

    @Test
    void writesTheStreamOnlyWhenItFitsTheLengthAsked() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] input = ZlibTest.input(random, i);
            byte[] full = Deflate.compress(input, Integer.MAX_VALUE);
            if (full == null) {
                continue;
            }
            assertThat(Deflate.compress(input, full.length)).isEqualTo(full);
            assertThat(Deflate.compress(input, full.length - 1)).isNull();
        }
    }

    @Test
    void handsLongerPayloadsToTheJdksZlib() {
        Random random = new Random(16_383);
        for (int length : new int[] {Deflate.MAX_INPUT - 1, Deflate.MAX_INPUT, Deflate.MAX_INPUT + 1, 16_384, 40_000,
            70_000}) {
            byte[] input = grown(random, new byte[0], length);
            byte[] jdk = ZlibTest.jdk(input);
            assertThat(Zlib.compressIfShorter(input)).as("%d bytes", length).isEqualTo(jdk);
        }
        assertThatThrownBy(() -> Deflate.compress(new byte[Deflate.MAX_INPUT + 1], Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16383 bytes");
    }

    @Test
    void keptCompressorsServeThreadsAtOnceEachWithItsOwnPayload() throws Exception {
        Random random = new Random(4);
        List<byte[]> inputs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] input = ZlibTest.input(random, i);
            inputs.add(input);
            expected.add(ZlibTest.jdk(input));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int round = 0; round < 5; round++) {
                        for (int i = offset; i < inputs.size(); i += 2) {
                            byte[] ours = Deflate.compress(inputs.get(i), Integer.MAX_VALUE);
                            if (ours != null) {
                                assertThat(ours).as("input %d", i).isEqualTo(expected.get(i));
                                checked++;
                            }
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isGreaterThan(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code input} made longer, to a random length up to {@link Deflate#MAX_INPUT}, by copies of its own pieces
     * and new bytes.
     */
    private static byte[] grown(Random random, byte[] input) {
        return grown(random, input, input.length + random.nextInt(Deflate.MAX_INPUT - input.length + 1));
    }

    private static byte[] grown(Random random, byte[] input, int length) {
        byte[] out = Arrays.copyOf(input, length);
        for (int j = input.length; j < length; j++) {
            out[j] = j > 10 && random.nextInt(4) > 0 ? out[j - 1 - random.nextInt(Math.min(j, 8000))]
                    : (byte) random.nextInt(64);
        }
        return out;
    }

    private static byte[] inflate(byte[] stream) throws Exception {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stream);
            byte[] out = new byte[Deflate.MAX_INPUT + 1];
            int length = inflater.inflate(out);
            assertThat(inflater.finished()).isTrue();
            return Arrays.copyOf(out, length);
        } finally {
            inflater.end();
        }
    }
}
