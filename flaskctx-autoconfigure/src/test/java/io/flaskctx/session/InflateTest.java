package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * {@link Inflate} accepts exactly the zlib streams Python's {@code zlib.decompress} accepts, with the same bytes, and
 * refuses the rest: against what Python did with the streams of {@code zlib_inflate_cases.py} (each rule of RFC
 * 1950/1951 and of zlib's checks, truncations, damage), and against the JDK's zlib ({@code Inflater}) on streams
 * of every level and strategy and on tens of thousands of damaged ones.
 */
class InflateTest {

    private static final int LIMIT = UrlSafeTimedSerializer.MAX_PAYLOAD_LENGTH;

    @Test
    void acceptsAndRefusesWhatPythonDoes() throws Exception {
        List<Map<String, Object>> cases = Vectors.read("zlib_inflate_cases.out.json", "cases");
        assertThat(cases).hasSizeGreaterThan(1000);
        int accepted = 0;
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            byte[] stream = Base64.getDecoder().decode((String) c.get("stream"));
            if ((Boolean) c.get("ok")) {
                byte[] ours = Inflate.inflate(stream, LIMIT);
                assertThat(rendered(ours)).as(name).isEqualTo(c.get("output"));
                accepted++;
            } else {
                assertThatThrownBy(() -> Inflate.inflate(stream, LIMIT)).as(name + ": " + c.get("error"))
                        .isInstanceOf(DataFormatException.class);
            }
        }
        assertThat(accepted).as("cases Python accepted").isGreaterThan(300);
    }

    @Test
    void givesZlibsMessageForEachRule() throws Exception {
        int checked = 0;
        for (Map<String, Object> c : Vectors.read("zlib_inflate_cases.out.json", "cases")) {
            String error = (String) c.get("error");
            String name = (String) c.get("name");
            if (error == null || name.startsWith("damaged") || name.contains("FDICT")) {
                continue;
            }
            byte[] stream = Base64.getDecoder().decode((String) c.get("stream"));
            // Python: "Error -3 while decompressing data: <zlib's message>"
            String message = error.substring(error.indexOf(": ", error.indexOf("data")) + 2);
            assertThatThrownBy(() -> Inflate.inflate(stream, LIMIT)).as(name).hasMessage(message);
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void readsWhatTheJdksZlibWritesAtEveryLevelAndStrategy() throws Exception {
        Random random = new Random(1950);
        int[] strategies = {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY};
        for (int i = 0; i < 3_000; i++) {
            byte[] input = ZlibTest.input(random, i);
            int level = i % 10;
            int strategy = strategies[(i / 10) % 3];
            byte[] stream = deflate(input, level, strategy, i % 7 == 0);
            assertThat(Inflate.inflate(stream, LIMIT)).as("input %d, level %d, strategy %d", i, level, strategy)
                    .isEqualTo(input);
        }
    }

    @Test
    void agreesWithTheJdksZlibOnDamagedStreams() {
        Random random = new Random(1951);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input = ZlibTest.input(random, i % 200 == 0 ? i : 1 + i % 9);
            byte[] stream = deflate(input, random.nextInt(10), Deflater.DEFAULT_STRATEGY, false);
            byte[] damaged = damage(random, stream);
            Outcome jdk = jdk(damaged);
            Outcome ours = ours(damaged);
            assertThat(ours).as("stream %d: %s", i, HexFormat.of().formatHex(damaged)).isEqualTo(jdk);
            if (jdk.output() != null) {
                accepted++;
            } else {
                refused++;
            }
        }
        // Damage that keeps a stream whole is rare (the Adler-32 catches most): both kinds must be well tried.
        assertThat(accepted).isGreaterThan(100);
        assertThat(refused).isGreaterThan(5_000);
    }

    @Test
    void refusesWhatInflatesBeyondTheLimitAsItPassesIt() {
        byte[] zeros = new byte[LIMIT + 1];
        byte[] bomb = deflate(zeros, 9, Deflater.DEFAULT_STRATEGY, false);
        assertThat(bomb.length).isLessThan(2_000);
        assertThatThrownBy(() -> Inflate.inflate(bomb, LIMIT)).isInstanceOf(Zlib.TooLarge.class);

        byte[] exactly = deflate(Arrays.copyOf(zeros, LIMIT), 9, Deflater.DEFAULT_STRATEGY, false);
        assertThat(catchThrowable(() -> Inflate.inflate(exactly, LIMIT))).isNull();
        byte[] small = deflate(new byte[100], 9, Deflater.DEFAULT_STRATEGY, false);
        assertThatThrownBy(() -> Inflate.inflate(small, 99)).isInstanceOf(Zlib.TooLarge.class);
        assertThat(catchThrowable(() -> Inflate.inflate(small, 100))).isNull();
    }

    @Test
    void keptDecodersServeThreadsAtOnceEachWithItsOwnPayload() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                checked.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 3_000; i++) {
                        byte[] input = ZlibTest.input(random, 1 + i % 9);
                        byte[] stream = deflate(input, 6, Deflater.DEFAULT_STRATEGY, false);
                        byte[] damaged = i % 5 == 0 ? damage(random, stream) : stream;
                        assertThat(ours(damaged)).isEqualTo(jdk(damaged));
                    }
                    return 3_000;
                }));
            }
            for (Future<Integer> f : checked) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(3_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeptDecoderHoldsNothingOfThePayloadsItRead() throws Exception {
        Random random = new Random(21);
        Field keptField = Inflate.class.getDeclaredField("KEPT");
        Field outField = Inflate.class.getDeclaredField("out");
        Field inField = Inflate.class.getDeclaredField("in");
        keptField.setAccessible(true);
        outField.setAccessible(true);
        inField.setAccessible(true);
        @SuppressWarnings("unchecked")
        SmallPool<Inflate> kept = (SmallPool<Inflate>) keptField.get(null);
        int checked = 0;
        for (int i = 0; i < 2_000; i++) {
            // matches of every length and distance, long copies among them; some streams damaged, some refused
            byte[] input = ZlibTest.input(random, i);
            byte[] stream = deflate(input, 1 + i % 9, Deflater.DEFAULT_STRATEGY, false);
            ours(i % 4 == 0 ? damage(random, stream) : stream);
            List<Inflate> taken = new ArrayList<>();
            for (Inflate decoder = kept.take(); decoder != null; decoder = kept.take()) {
                taken.add(decoder);
            }
            if (input.length <= 4096) {
                assertThat(taken).as("the decoder just used was kept (its output fits what a kept one may hold)")
                        .isNotEmpty();
            }
            for (Inflate decoder : taken) {
                byte[] out = (byte[]) outField.get(decoder);
                int first = 0;
                while (first < out.length && out[first] == 0) {
                    first++;
                }
                assertThat(first).as("the first byte left in a kept decoder's output, after stream %d", i)
                        .isEqualTo(out.length);
                assertThat((byte[]) inField.get(decoder)).isEmpty();
                kept.give(decoder);
                checked++;
            }
        }
        assertThat(checked).as("kept decoders checked").isGreaterThan(1_500);
    }

    /** What came out of a stream: its bytes, or null when refused. */
    private record Outcome(byte[] output) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Outcome o && Arrays.equals(output, o.output);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(output);
        }

        @Override
        public String toString() {
            return output == null ? "refused" : output.length + " bytes " + HexFormat.of().formatHex(output);
        }
    }

    private static Outcome ours(byte[] stream) {
        try {
            return new Outcome(Inflate.inflate(stream, LIMIT));
        } catch (DataFormatException | Zlib.TooLarge e) {
            return new Outcome(null);
        }
    }

    /** The JDK's zlib: refused when corrupt, or when it needs more input than there is. */
    private static Outcome jdk(byte[] stream) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stream);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                out.write(buffer, 0, n);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    return new Outcome(null);
                }
                if (out.size() > LIMIT) {
                    return new Outcome(null);
                }
            }
            return new Outcome(out.toByteArray());
        } catch (DataFormatException e) {
            return new Outcome(null);
        } finally {
            inflater.end();
        }
    }

    /** Bits flipped, a byte changed, inserted or removed, the stream cut, or its deflate data's trailer mended. */
    private static byte[] damage(Random random, byte[] stream) {
        byte[] damaged = stream.clone();
        int at = 2 + random.nextInt(Math.max(1, stream.length - 2));
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    int i = 2 + random.nextInt(damaged.length - 2);
                    damaged[i] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> damaged[Math.min(at, damaged.length - 1)] = (byte) random.nextInt(256);
            case 2 -> {
                damaged = new byte[stream.length + 1];
                System.arraycopy(stream, 0, damaged, 0, at);
                damaged[at] = (byte) random.nextInt(256);
                System.arraycopy(stream, at, damaged, at + 1, stream.length - at);
            }
            case 3 -> damaged = Arrays.copyOf(stream, random.nextInt(stream.length));
            case 4 -> damaged[random.nextInt(2)] = (byte) random.nextInt(256); // the header
            default -> {
                // damage the deflate data, then give it the Adler-32 of whatever the JDK inflates from it
                int i = 2 + random.nextInt(Math.max(1, damaged.length - 6));
                damaged[Math.min(i, damaged.length - 1)] ^= (byte) (1 << random.nextInt(8));
                damaged = mended(damaged);
            }
        }
        return damaged;
    }

    /** The stream with its last four bytes replaced by the Adler-32 of what raw inflating its body gives. */
    private static byte[] mended(byte[] stream) {
        Inflater raw = new Inflater(true);
        try {
            raw.setInput(stream, 2, stream.length - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!raw.finished()) {
                int n = raw.inflate(buffer);
                if (n == 0 && raw.needsInput() || out.size() > LIMIT) {
                    return stream;
                }
                out.write(buffer, 0, n);
            }
            int body = stream.length - raw.getRemaining();
            Adler32 adler = new Adler32();
            adler.update(out.toByteArray());
            long value = adler.getValue();
            byte[] mended = Arrays.copyOf(stream, body + 4);
            for (int k = 0; k < 4; k++) {
                mended[body + k] = (byte) (value >>> (24 - 8 * k));
            }
            return mended;
        } catch (DataFormatException e) {
            return stream;
        } finally {
            raw.end();
        }
    }

    private static byte[] deflate(byte[] input, int level, int strategy, boolean flushHalfway) {
        Deflater deflater = new Deflater(level);
        deflater.setStrategy(strategy);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            if (flushHalfway) {
                // two blocks and an empty stored one between them
                int half = input.length / 2;
                deflater.setInput(input, 0, half);
                drain(deflater, out, buffer, Deflater.FULL_FLUSH);
                deflater.setInput(input, half, input.length - half);
            } else {
                deflater.setInput(input);
            }
            deflater.finish();
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void drain(Deflater deflater, ByteArrayOutputStream out, byte[] buffer, int flush) {
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput()); // (a changed strategy first takes a call of its own)
    }

    /** Python's rendering of an output in the cases file: base64, or the length and SHA-256 of a long one. */
    private static String rendered(byte[] output) throws NoSuchAlgorithmException {
        if (output.length <= 512) {
            return Base64.getEncoder().encodeToString(output);
        }
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(output);
        return output.length + " bytes, sha256 " + HexFormat.of().formatHex(sha);
    }
}
