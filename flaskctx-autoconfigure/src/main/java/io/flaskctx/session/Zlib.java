package io.flaskctx.session;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code zlib.compress} and {@code zlib.decompress} for session payloads: a zlib stream (header
 * {@code 78 9c}) at the default level, which the JDK's zlib writes byte for byte as Python's does.
 *
 * <p>A {@code Deflater} or {@code Inflater} is costly to set up (it holds native memory, a deflater about 256 KiB
 * of it) and cheap to reset, so a few of each are kept in {@link SmallPool}s and reset for the next cookie rather
 * than created per cookie; under more concurrency than that, extra ones are made and released ({@code end()}ed at
 * once, so no native memory waits for the GC). Nothing is kept per thread.
 */
final class Zlib {

    private static final SmallPool<Deflater> DEFLATERS = new SmallPool<>(Deflater::end);
    private static final SmallPool<Inflater> INFLATERS = new SmallPool<>(Inflater::end);

    /** The inflated payload is larger than allowed (a small cookie can inflate to megabytes). */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    private Zlib() {
    }

    /**
     * Compresses {@code data} when that saves at least two bytes, itsdangerous's rule
     * ({@code len(compressed) < len(data) - 1}).
     *
     * @return the zlib stream, or null when it would not be short enough
     */
    static byte @Nullable [] compressIfShorter(byte[] data) {
        int limit = data.length - 2;
        if (limit <= 0) {
            return null;
        }
        Deflater deflater = DEFLATERS.take();
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        }
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[limit];
            int length = 0;
            // Stop as soon as the output fills the limit: then compressing does not pay.
            while (!deflater.finished() && length < limit) {
                length += deflater.deflate(out, length, limit - length);
            }
            return deflater.finished() ? Arrays.copyOf(out, length) : null;
        } finally {
            deflater.reset();
            DEFLATERS.give(deflater);
        }
    }

    /**
     * Inflates a complete zlib stream; bytes after its end are ignored, as Python ignores them.
     *
     * @param maxLength the largest result accepted
     * @throws DataFormatException when the stream is corrupt or incomplete
     * @throws TooLarge when the result would exceed {@code maxLength}
     */
    static byte[] decompress(byte[] data, int maxLength) throws DataFormatException, TooLarge {
        Inflater inflater = INFLATERS.take();
        if (inflater == null) {
            inflater = new Inflater();
        }
        try {
            inflater.setInput(data);
            byte[] out = new byte[Math.min(maxLength, Math.max(64, data.length * 4))];
            int length = 0;
            while (!inflater.finished()) {
                if (length == out.length) {
                    if (out.length == maxLength) {
                        throw new TooLarge();
                    }
                    out = Arrays.copyOf(out, (int) Math.min(maxLength, out.length * 2L));
                }
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("incomplete or truncated stream");
                }
                length += n;
            }
            return Arrays.copyOf(out, length);
        } finally {
            inflater.reset();
            INFLATERS.give(inflater);
        }
    }
}
