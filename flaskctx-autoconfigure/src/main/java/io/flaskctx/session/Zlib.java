package io.flaskctx.session;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code zlib.compress} and {@code zlib.decompress} for session payloads: a zlib stream (header
 * {@code 78 9c}) at the default level, written byte for byte as Python writes it, by {@link Deflate} up to
 * {@link Deflate#MAX_INPUT} bytes and by the JDK's zlib past that, and read back by {@link Inflate}, which
 * accepts and refuses what zlib does.
 *
 * <p>A {@code Deflater} is costly to set up (it holds about 256 KiB of native memory) and cheap to reset, so a few
 * are kept in a {@link SmallPool} and reset for the next payload rather than created per payload; under more
 * concurrency than that, extra ones are made and released ({@code end()}ed at once, so no native memory waits for
 * the GC). Nothing is kept per thread.
 */
final class Zlib {

    private static final SmallPool<Deflater> DEFLATERS = new SmallPool<>(Deflater::end);

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
        if (data.length <= Deflate.MAX_INPUT) {
            return Deflate.compress(data, limit);
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
        return Inflate.inflate(data, maxLength);
    }
}
