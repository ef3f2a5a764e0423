package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The low-level pieces against what CPython 3.11, itsdangerous and Werkzeug answered for the same inputs
 * ({@code python_fixtures.json}, written by {@code python_fixtures.py} beside it): lenient base64, float repr,
 * HTTP date parsing.
 */
class PythonParityTest {

    private static final Map<String, Object> FIXTURES = Vectors.read("python_fixtures.json");

    @SuppressWarnings("unchecked")
    private static List<List<Object>> cases(String key) {
        return (List<List<Object>>) FIXTURES.get(key);
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    @Test
    void decodesCookieSegmentsAsItsdangerousDoes() {
        SoftAssertions softly = new SoftAssertions();
        List<List<Object>> cases = cases("itsdangerous_base64_decode_utf8");
        assertThat(cases).hasSizeGreaterThan(2000);
        for (List<Object> c : cases) {
            byte[] utf8 = ((String) c.get(0)).getBytes(StandardCharsets.UTF_8);
            softly.assertThat(hex(LenientBase64.urlDecode(utf8, 0, utf8.length))).as("'%s'", c.get(0))
                    .isEqualTo(c.get(1));
        }
        softly.assertAll();
    }

    @Test
    void decodesTheBytesTagAsPythonsB64decodeDoes() {
        SoftAssertions softly = new SoftAssertions();
        for (List<Object> c : cases("b64decode_str")) {
            softly.assertThat(hex(LenientBase64.decode((String) c.get(0)))).as("'%s'", c.get(0)).isEqualTo(c.get(1));
        }
        softly.assertAll();
    }

    @Test
    void writesFloatsAsPythonsRepr() {
        SoftAssertions softly = new SoftAssertions();
        List<List<Object>> cases = cases("float_repr");
        assertThat(cases).hasSizeGreaterThan(2000);
        for (List<Object> c : cases) {
            double value = ByteBuffer.wrap(HexFormat.of().parseHex((String) c.get(0))).getDouble();
            softly.assertThat(FloatRepr.of(value)).as("%s", c.get(1)).isEqualTo(c.get(1));
        }
        softly.assertAll();
    }

    @Test
    void writesTheValuesJsonHasNoNumberForAsPythonsJsonDoes() {
        assertThat(FloatRepr.of(Double.NaN)).isEqualTo("NaN");
        assertThat(FloatRepr.of(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(FloatRepr.of(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(FloatRepr.of(-0.0)).isEqualTo("-0.0");
        // Java 17's Double.toString gives 1.9999999999999998E23 here; Python gives the shortest digits
        assertThat(FloatRepr.of(2e23)).isEqualTo("2e+23");
    }

    @Test
    void parsesDatesAsWerkzeugsParseDate() {
        SoftAssertions softly = new SoftAssertions();
        for (List<Object> c : cases("parse_date")) {
            Instant parsed = HttpDate.parse((String) c.get(0));
            Object expected = c.get(1) == null ? null : ((Number) c.get(1)).longValue();
            softly.assertThat(parsed == null ? null : (Object) parsed.getEpochSecond()).as("'%s'", c.get(0))
                    .isEqualTo(expected);
        }
        softly.assertAll();
    }

    @Test
    void formatsDatesAsWerkzeugsHttpDate() {
        assertThat(HttpDate.format(Instant.ofEpochSecond(1_700_000_000L, 999_999_999)))
                .isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(HttpDate.format(Instant.EPOCH)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.format(Instant.parse("0999-03-04T05:06:07Z"))).isEqualTo("Mon, 04 Mar 0999 05:06:07 GMT");
    }
}
