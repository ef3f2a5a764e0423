package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link HmacSha1} gives RFC 2104's HMAC-SHA1: RFC 2202's test cases, and the JDK's {@code Mac} for keys shorter
 * than, as long as and longer than SHA-1's block and for messages around its block and padding boundaries; a
 * copy signs alike, and signing leaves the prototype's pads unchanged for the next message.
 */
class HmacSha1Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc2202TestCases() {
        assertThat(hmac(repeat(0x0b, 20), ascii("Hi There"))).isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
        assertThat(hmac(ascii("Jefe"), ascii("what do ya want for nothing?")))
                .isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assertThat(hmac(repeat(0xaa, 20), repeat(0xdd, 50))).isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
        assertThat(hmac(repeat(0xaa, 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))
                .isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
        assertThat(hmac(repeat(0xaa, 80),
                ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data")))
                .isEqualTo("e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
    }

    @Test
    void agreesWithTheJdksMacAcrossKeyAndMessageLengths() throws Exception {
        Random random = new Random(2104);
        for (int keyLength : new int[] {0, 1, 20, 63, 64, 65, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            HmacSha1 mine = HmacSha1.of(key);
            HmacSha1 copy = mine.copy();
            for (int length : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 224, 1000}) {
                byte[] data = new byte[length + 7];
                random.nextBytes(data);
                byte[] signature = new byte[20];
                mine.sign(data, length, signature);
                String expected = jdk(key, data, length);
                assertThat(HEX.formatHex(signature)).as("key of %d bytes, %d bytes signed", keyLength, length)
                        .isEqualTo(expected);
                byte[] again = new byte[20];
                copy.sign(data, length, again);
                assertThat(again).as("a copy, key of %d bytes, %d bytes signed", keyLength, length)
                        .isEqualTo(signature);
            }
        }
    }

    private static String hmac(byte[] key, byte[] data) {
        byte[] signature = new byte[20];
        HmacSha1 mac = HmacSha1.of(key);
        mac.sign(data, data.length, signature);
        byte[] second = new byte[20];
        // the pads are hashed once: a second message starts from them again
        mac.sign(data, data.length, second);
        assertThat(second).isEqualTo(signature);
        return HEX.formatHex(signature);
    }

    private static String jdk(byte[] key, byte[] data, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        // SecretKeySpec refuses an empty key: an all-zero block is the same HMAC key (RFC 2104 pads with zeros)
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[64] : key, "HmacSHA1"));
        mac.update(data, 0, length);
        return HEX.formatHex(mac.doFinal());
    }

    private static byte[] repeat(int value, int times) {
        byte[] bytes = new byte[times];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
