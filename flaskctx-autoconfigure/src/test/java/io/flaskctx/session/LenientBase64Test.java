package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LenientBase64#urlDecode} hands well-formed text to the JDK's decoder and the rest to the lenient one: the
 * two must give the same answer on every input, the hostile ones included (Python's answers for the lenient
 * decoder are checked in {@link PythonParityTest}). Segments are read from inside a larger array, as from a cookie.
 */
class LenientBase64Test {

    /** Characters a hostile cookie segment may hold: the alphabet's edges, padding, both 62/63 pairs, others. */
    private static final byte[] HOSTILE = "AQZagz09-_+/=. \u00ff\u0000".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void givesTheLenientDecodersAnswerOnEveryInput() {
        Random random = new Random(64);
        Base64.Decoder jdk = Base64.getUrlDecoder();
        int wellFormed = 0;
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] segment = i % 2 == 0 ? hostile(random) : wellFormedWithATwist(random);
            byte[] cookie = new byte[segment.length + 2];
            cookie[0] = '.';
            System.arraycopy(segment, 0, cookie, 1, segment.length);
            cookie[cookie.length - 1] = '.';
            byte[] lenient = LenientBase64.lenientUrlDecode(cookie, 1, cookie.length - 1);
            byte[] decoded = LenientBase64.urlDecode(cookie, 1, cookie.length - 1);
            assertThat(decoded).as("'%s'", new String(segment, StandardCharsets.ISO_8859_1)).isEqualTo(lenient);
            if (lenient == null) {
                refused++;
            }
            try {
                jdk.decode(segment);
                wellFormed++;
            } catch (IllegalArgumentException notWellFormed) {
                // the lenient decoder's case
            }
        }
        assertThat(wellFormed).as("inputs the JDK's decoder took").isGreaterThan(40_000);
        assertThat(200_000 - wellFormed).as("inputs left to the lenient decoder").isGreaterThan(40_000);
        assertThat(refused).as("inputs refused").isGreaterThan(5_000);
    }

    @Test
    void decodesAFlaskPayloadToTheBytesItWasMadeFrom() {
        byte[] payload = new byte[162];
        new Random(3).nextBytes(payload);
        byte[] out = new byte[LenientBase64.urlEncodedLength(payload.length) + 2];
        out[0] = '.';
        int end = LenientBase64.urlEncode(payload, out, 1);
        out[end] = '.';
        assertThat(new String(out, 1, end - 1, StandardCharsets.US_ASCII))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(payload));
        assertThat(HexFormat.of().formatHex(LenientBase64.urlDecode(out, 1, end)))
                .isEqualTo(HexFormat.of().formatHex(payload));
    }

    @Test
    void encodesEveryLengthAsTheJdkWithoutPadding() {
        Random random = new Random(5);
        for (int length = 0; length < 200; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] out = new byte[LenientBase64.urlEncodedLength(length) + 3];
            int end = LenientBase64.urlEncode(data, out, 3);
            assertThat(end).isEqualTo(out.length);
            String jdk = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
            assertThat(new String(Arrays.copyOfRange(out, 3, end), StandardCharsets.US_ASCII)).as("%d bytes", length)
                    .isEqualTo(jdk);
            // at the start of a longer array, by the JDK's encoder from 32 bytes on: nothing written past the text
            byte[] start = new byte[LenientBase64.urlEncodedLength(length) + 5];
            int written = LenientBase64.urlEncodeAtStart(data, start);
            assertThat(new String(start, 0, written, StandardCharsets.US_ASCII)).as("%d bytes at the start", length)
                    .isEqualTo(jdk);
            assertThat(Arrays.copyOfRange(start, written, start.length)).as("%d bytes at the start", length)
                    .containsOnly((byte) 0);
        }
    }

    private static byte[] hostile(Random random) {
        byte[] segment = new byte[random.nextInt(14)];
        for (int k = 0; k < segment.length; k++) {
            segment[k] = HOSTILE[random.nextInt(HOSTILE.length)];
        }
        return segment;
    }

    /** Base64 of random bytes, sometimes padded, sometimes cut or given one character it should not have. */
    private static byte[] wellFormedWithATwist(Random random) {
        byte[] data = new byte[random.nextInt(40)];
        random.nextBytes(data);
        String text = random.nextBoolean() ? Base64.getUrlEncoder().encodeToString(data)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        byte[] segment = text.getBytes(StandardCharsets.US_ASCII);
        switch (random.nextInt(6)) {
            case 0 -> segment = Arrays.copyOf(segment, Math.max(0, segment.length - 1 - random.nextInt(3)));
            case 1 -> {
                if (segment.length > 0) {
                    segment[random.nextInt(segment.length)] = HOSTILE[random.nextInt(HOSTILE.length)];
                }
            }
            default -> {
                // left as written
            }
        }
        return segment;
    }
}
