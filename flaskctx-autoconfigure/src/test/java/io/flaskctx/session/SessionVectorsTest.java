package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.session.BadDataException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CATALOGUE section 6 against {@code session_vectors.json}: every cookie Flask wrote decodes to the values
 * Flask decoded, and the same values encode to the same cookie bytes at the same second; every doctored
 * cookie gets itsdangerous's verdict.
 */
class SessionVectorsTest {

    private static final Duration THIRTY_ONE_DAYS = Duration.ofDays(31);

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flaskctx.session.Vectors#payloadVectors")
    void encodesEveryValueToFlasksCookieByteForByte(String name, Map<String, Object> vector) {
        Object input = Vectors.input(vector);
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, ((Number) vector.get("timestamp")).longValue());

        assertThat(TaggedJsonWriter.dumps(input)).as("JSON text").isEqualTo(vector.get("json"));
        assertThat(serializer.dumps(input)).as("cookie value").isEqualTo(vector.get("cookie_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flaskctx.session.Vectors#payloadVectors")
    @SuppressWarnings("unchecked")
    void decodesEveryCookieToTheValuesFlaskDecoded(String name, Map<String, Object> vector) throws Exception {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        Map<String, Object> flask = (Map<String, Object>) ((Map<String, Object>) vector.get("decoded")).get("ok");

        Object decoded = serializer.loads((String) vector.get("cookie_value"), THIRTY_ONE_DAYS);

        assertThat(Vectors.text(Vectors.typed(decoded))).isEqualTo(Vectors.text(flask.get("typed")));
    }

    @Test
    void reEncodesWhatItDecodedToTheSameBytes() throws Exception {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        for (Map<String, Object> vector : Vectors.list("payload_vectors")) {
            String cookie = (String) vector.get("cookie_value");
            // lossy in Flask too: a date, a Decimal, a dataclass and an int key come back as str and dict
            assertThat(serializer.dumps(serializer.loads(cookie, THIRTY_ONE_DAYS))).as((String) vector.get("name"))
                    .isEqualTo(cookie);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void signsWithANonAsciiSecretKeyAsUtf8() throws Exception {
        Map<String, Object> vector = (Map<String, Object>) ((Map<String, Object>) Vectors.all().get("format"))
                .get("non_ascii_secret_key_vector");
        UrlSafeTimedSerializer serializer = Vectors.serializer("cl\u00e9-secr\u00e8te", Vectors.FROZEN);

        assertThat(serializer.dumps(Map.of("k", "v"))).isEqualTo(vector.get("cookie_value"));
        assertThat(serializer.loads((String) vector.get("cookie_value"), THIRTY_ONE_DAYS)).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void writesTheTimestampSegmentOfTheFrozenSecond() {
        String cookie = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN).dumps(Map.of("s", "hello"));
        assertThat(cookie.split("\\.")[1]).isEqualTo("ZVPxAA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.flaskctx.session.Vectors#invalidCookies")
    @SuppressWarnings("unchecked")
    void givesEveryDoctoredCookieItsdangerousVerdict(String name, Map<String, Object> vector) {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY,
                ((Number) vector.get("decode_time")).longValue());
        Duration maxAge = Duration.ofSeconds(((Number) vector.get("max_age")).longValue());
        Map<String, Object> verdict = (Map<String, Object>) vector.get("itsdangerous_loads");
        String cookie = (String) vector.get("cookie_value");

        if (verdict.containsKey("ok")) {
            Object decoded = load(serializer, cookie, maxAge);
            assertThat(Vectors.text(Vectors.typed(decoded))).isEqualTo(Vectors.text(verdict.get("ok")));
        } else {
            String type = (String) verdict.get("exc_type");
            String message = (String) verdict.get("exc_msg");
            assertThatThrownBy(() -> serializer.loads(cookie, maxAge)).isInstanceOf(BadDataException.class)
                    .extracting(e -> ((BadDataException) e).reason()).isEqualTo(reasonFor(type, message));
        }
    }

    private static Object load(UrlSafeTimedSerializer serializer, String cookie, Duration maxAge) {
        try {
            return serializer.loads(cookie, maxAge);
        } catch (BadDataException e) {
            throw new AssertionError("refused a cookie itsdangerous accepts: " + e.getMessage(), e);
        }
    }

    /** itsdangerous's exception, as the reason flaskctx counts it under. */
    private static Reason reasonFor(String type, String message) {
        if (type.endsWith("SignatureExpired")) {
            return message.contains("< 0") ? Reason.FUTURE : Reason.EXPIRED;
        }
        if (type.endsWith("BadPayload")) {
            return Reason.PAYLOAD;
        }
        return message.equals("timestamp missing") ? Reason.TIMESTAMP : Reason.SIGNATURE;
    }

    @Test
    @SuppressWarnings("unchecked")
    void verifiesWithEveryFallbackKeyButSignsWithTheCurrentOne() throws Exception {
        // secret_key_fallbacks: the old-key cookie of the vectors, read by an app on new-key
        Map<String, Object> probe = Vectors.list("secret_key_fallbacks").get(2);
        String oldCookie = (String) probe.get("cookie_sent");
        UrlSafeTimedSerializer withoutFallback = new UrlSafeTimedSerializer(List.of(bytes("new-key")),
                Vectors.clockAt(Vectors.FROZEN));
        UrlSafeTimedSerializer withFallbacks = new UrlSafeTimedSerializer(List.of(bytes("older-key"), bytes("old-key"),
                bytes("new-key")), Vectors.clockAt(Vectors.FROZEN));

        assertThatThrownBy(() -> withoutFallback.loads(oldCookie, THIRTY_ONE_DAYS)).isInstanceOf(BadDataException.class);
        Map<String, Object> session = (Map<String, Object>) withFallbacks.loads(oldCookie, THIRTY_ONE_DAYS);
        assertThat(session).containsEntry("user", "alice");

        session.put("extra", 1L);
        String resigned = withFallbacks.dumps(session);
        String expected = ((List<String>) probe.get("set_cookie")).get(0);
        assertThat("session=" + resigned + "; HttpOnly; Path=/").isEqualTo(expected);
        assertThat(withoutFallback.loads(resigned, THIRTY_ONE_DAYS)).isEqualTo(session);
    }

    @Test
    void acceptsACookieExactlyAsOldAsTheLifetimeAndRefusesOneSecondOlder() {
        UrlSafeTimedSerializer old = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN - THIRTY_ONE_DAYS.getSeconds());
        String cookie = old.dumps(Map.of("user", "alice"));
        UrlSafeTimedSerializer now = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        UrlSafeTimedSerializer aSecondLater = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN + 1);

        assertThat(load(now, cookie, THIRTY_ONE_DAYS)).isEqualTo(Map.of("user", "alice"));
        assertThatThrownBy(() -> aSecondLater.loads(cookie, THIRTY_ONE_DAYS))
                .isInstanceOfSatisfying(BadDataException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
                    assertThat(e.getMessage()).isEqualTo("Signature age 2678401 > 2678400 seconds");
                });
    }

    @Test
    void refusesAValueLongerThanABrowserSendsBeforeCheckingItsSignature() {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        String huge = "a".repeat(UrlSafeTimedSerializer.MAX_VALUE_LENGTH) + ".ZVPxAA.sig";

        assertThatThrownBy(() -> serializer.loads(huge, THIRTY_ONE_DAYS))
                .isInstanceOfSatisfying(BadDataException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void refusesAValidlySignedPayloadThatInflatesBeyondTheLimit() {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        // 2 MiB of one character compresses to about 2 KiB: a small cookie, a large inflation
        String bomb = serializer.dumps(Map.of("x", "a".repeat(2 << 20)));
        assertThat(bomb.length()).isLessThan(UrlSafeTimedSerializer.MAX_VALUE_LENGTH);

        assertThatThrownBy(() -> serializer.loads(bomb, THIRTY_ONE_DAYS))
                .isInstanceOfSatisfying(BadDataException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OVERSIZED));
    }

    @Test
    void refusesATimestampOfMoreThanEightBytesAsMalformed() throws Exception {
        UrlSafeTimedSerializer serializer = Vectors.serializer(Vectors.SECRET_KEY, Vectors.FROZEN);
        // re-sign a cookie whose timestamp segment holds nine bytes: the signature is right, the time is not
        String signed = "eyJ1c2VyIjoiYWxpY2UifQ." + LenientBase64.urlEncode(new byte[9]);
        String cookie = signed + "." + signature(signed);

        assertThatThrownBy(() -> serializer.loads(cookie, THIRTY_ONE_DAYS))
                .isInstanceOfSatisfying(BadDataException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP));
    }

    /** The signature Flask puts on {@code signed} with the reference key, computed independently of the class. */
    static String signature(String signed) throws Exception {
        javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA1");
        derive.init(new javax.crypto.spec.SecretKeySpec(bytes(Vectors.SECRET_KEY), "HmacSHA1"));
        byte[] key = derive.doFinal(bytes("cookie-session"));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        return LenientBase64.urlEncode(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
