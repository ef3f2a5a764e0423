package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import io.flaskctx.session.BadDataException.Reason;
import jakarta.servlet.http.Cookie;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Generated session cookies (10⁵ on demand, see {@link #COOKIES}) against the real decoder (the cookie store's
 * {@code open}, as a request reaches it): genuine ones, tampered, truncated, re-encoded, forged with other keys
 * and salts, expired and untimed, and hostile payloads (zlib bombs, deep nesting, huge numbers, bad UTF-8, bad
 * tags) both signed with the real key and not. Seeded, so every run generates the same cookies. It must find no
 * accepted forgery (a cookie accepted with data the key never signed), no exception escaping, and every refusal
 * counted in exactly one {@code flaskctx.session.rejected} reason. The figures are printed
 * ({@code cookie fuzz: ...}); the README records those of a 10⁵ run.
 */
class CookieFuzzTest {

    /**
     * 2.5·10⁴ in the normal run (a few seconds on a busy machine); {@code -Dflaskctx.fuzz.cookies=100000} (or more)
     * for the figure the README records. The same seed makes the first cookies of a longer run the same.
     */
    static final int COOKIES = Integer.getInteger("flaskctx.fuzz.cookies", 25_000);
    private static final String KEY = "fuzz-secret-key-0123456789abcdef";
    private static final long NOW = Vectors.FROZEN;
    private static final String JUNK = "-_+/=.!~*%$ \"\\,;\u00e9\u0000\u2603\ud83d";
    private static final byte[] ADMIN = "{\"_permanent\":true,\"user\":\"admin\"}".getBytes(StandardCharsets.US_ASCII);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** What the key signed: the data a genuine cookie holds; or anything (hostile but signed); or nothing. */
    private enum Expect { GENUINE, SIGNED_ANYTHING, MUST_REFUSE }

    private enum Kind { GENUINE, TAMPERED, TRUNCATED, RE_ENCODED, FORGED, EXPIRED_OR_UNTIMED, HOSTILE_SIGNED,
        HOSTILE_UNSIGNED }

    private record Case(Kind kind, String cookie, Expect expect, Map<String, Object> genuine) {
    }

    private final Random random = new Random(17);
    private final FlaskApp app = new FlaskApp("fuzz");
    private final SecureCookieSessionInterface store = new SecureCookieSessionInterface(Vectors.clockAt(NOW));
    // Made once, so that the run measures the decoder rather than the making of cookies: genuine cookies (and
    // what the store reads from each, and their JSON), hostile payloads signed and not, keys an attacker guesses.
    private final List<String> genuineCookies = new ArrayList<>();
    private final List<Map<String, Object>> genuineData = new ArrayList<>();
    private final List<byte[]> genuineJson = new ArrayList<>();
    private final List<String> hostile = hostilePayloads();
    private final List<String> hostileSigned = new ArrayList<>();
    private final List<String> bombs = bombs();
    private final List<String> bombsSigned = new ArrayList<>();
    private final List<String> guessedKeys = new ArrayList<>();
    private final Map<String, Mac> macs = new java.util.HashMap<>();
    private final Deflater fast = new Deflater(1);
    private final Deflater best = new Deflater(9);
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");

    CookieFuzzTest() {
        app.config().put("SECRET_KEY", KEY);
        app.setSessionInterface(store);
        for (int i = 0; i < 2_000; i++) {
            byte[] json = TaggedJsonWriter.dumps(data()).getBytes(StandardCharsets.US_ASCII);
            String cookie = signedTimed(KEY, json, NOW);
            genuineJson.add(json);
            genuineCookies.add(cookie);
            genuineData.add(genuine(cookie));
        }
        for (String payload : hostile) {
            hostileSigned.add(signedRaw(KEY, "cookie-session", payload, NOW));
        }
        for (String payload : bombs) {
            bombsSigned.add(signedRaw(KEY, "cookie-session", payload, NOW));
        }
        for (int i = 0; i < 64; i++) {
            guessedKeys.add(randomString(ALPHABET, 1 + random.nextInt(40)));
        }
    }

    @Test
    void noForgeryIsAcceptedNoExceptionEscapesAndEveryRefusalIsCounted() {
        Map<Kind, Integer> generated = new EnumMap<>(Kind.class);
        Map<Kind, Integer> refusedByKind = new EnumMap<>(Kind.class);
        int accepted = 0;
        int refused = 0;
        List<String> forgeries = new ArrayList<>();
        List<String> escaped = new ArrayList<>();
        List<String> uncounted = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < COOKIES; i++) {
            Case c = next(i);
            generated.merge(c.kind(), 1, Integer::sum);
            long before = totalRejected();
            Session session;
            try {
                request.setCookies(new Cookie("session", c.cookie()));
                session = store.open(app, request);
            } catch (Throwable e) {
                escaped.add(c.kind() + " " + e + " for " + abbreviated(c.cookie()));
                continue;
            }
            long counted = totalRejected() - before;
            if (counted == 1 && session.isEmpty()) {
                refused++;
                refusedByKind.merge(c.kind(), 1, Integer::sum);
            } else if (counted != 0) {
                uncounted.add(c.kind() + " counted " + counted + " with " + session + ": " + abbreviated(c.cookie()));
            } else if (c.expect() == Expect.SIGNED_ANYTHING
                    || c.expect() == Expect.GENUINE && session.equals(c.genuine())) {
                accepted++;
            } else if (session.isEmpty() && c.expect() == Expect.MUST_REFUSE) {
                uncounted.add(c.kind() + " refused without being counted: " + abbreviated(c.cookie()));
            } else {
                forgeries.add(c.kind() + " accepted as " + session + ": " + abbreviated(c.cookie()));
            }
        }
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Reason reason : Reason.values()) {
            reasons.put(reason.tag(), store.rejected(reason));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("cookie fuzz: " + COOKIES + " cookies in " + millis + " ms " + generated + "; accepted "
                + accepted
                + " (genuine or signed by the key), refused " + refused + " " + refusedByKind + ", counted as "
                + reasons + "; accepted forgeries " + forgeries.size() + ", exceptions escaped " + escaped.size()
                + ", refusals not counted " + uncounted.size());

        assertThat(forgeries).as("accepted forgeries").isEmpty();
        assertThat(escaped).as("exceptions escaping the decoder").isEmpty();
        assertThat(uncounted).as("refusals not counted once").isEmpty();
        assertThat(accepted + refused).isEqualTo(COOKIES);
        assertThat(reasons.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(refused);
        assertThat(refusedByKind.get(Kind.FORGED)).isEqualTo(generated.get(Kind.FORGED));
        assertThat(refusedByKind.get(Kind.HOSTILE_UNSIGNED)).isEqualTo(generated.get(Kind.HOSTILE_UNSIGNED));
        assertThat(refusedByKind.get(Kind.EXPIRED_OR_UNTIMED)).isEqualTo(generated.get(Kind.EXPIRED_OR_UNTIMED));
    }

    private long totalRejected() {
        long total = 0;
        for (Reason reason : Reason.values()) {
            total += store.rejected(reason);
        }
        return total;
    }

    private static String abbreviated(String cookie) {
        return cookie.length() > 120 ? cookie.substring(0, 120) + "...(" + cookie.length() + ")" : cookie;
    }

    private Case next(int i) {
        int roll = random.nextInt(100);
        if (roll < 52) {
            int pick = random.nextInt(genuineCookies.size());
            String cookie = genuineCookies.get(pick);
            Map<String, Object> data = genuineData.get(pick);
            if (roll < 5) {
                return new Case(Kind.GENUINE, cookie, Expect.GENUINE, data);
            }
            if (roll < 30) {
                return new Case(Kind.TAMPERED, tampered(cookie), Expect.GENUINE, data);
            }
            if (roll < 40) {
                return new Case(Kind.TRUNCATED, cookie.substring(0, 1 + random.nextInt(cookie.length() - 1)),
                        Expect.GENUINE, data);
            }
            return new Case(Kind.RE_ENCODED, reEncoded(cookie), Expect.GENUINE, data);
        }
        if (roll < 70) {
            return new Case(Kind.FORGED, forged(), Expect.MUST_REFUSE, null);
        }
        if (roll < 75) {
            return new Case(Kind.EXPIRED_OR_UNTIMED, expiredOrUntimed(), Expect.MUST_REFUSE, null);
        }
        // a zlib bomb costs a megabyte of inflating and parsing: one hostile payload in 500 is one
        boolean bomb = random.nextInt(500) == 0;
        List<String> pool = bomb ? bombs : hostile;
        int pick = random.nextInt(pool.size());
        String payload = pool.get(pick);
        if (roll < 85) {
            return new Case(Kind.HOSTILE_SIGNED, (bomb ? bombsSigned : hostileSigned).get(pick),
                    Expect.SIGNED_ANYTHING, null);
        }
        String signature = randomString(ALPHABET, 27);
        return new Case(Kind.HOSTILE_UNSIGNED, payload + "." + timestamp(NOW) + "." + signature, Expect.MUST_REFUSE,
                null);
    }

    /** What the store reads from a genuine cookie: the reference the variants of it are compared with. */
    private Map<String, Object> genuine(String cookie) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new Cookie("session", cookie));
        Map<String, Object> read = new LinkedHashMap<>(store.open(app, request));
        assertThat(read).as("a genuine cookie is read").isNotEmpty();
        return read;
    }

    private Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        int keys = 1 + random.nextInt(5);
        for (int k = 0; k < keys; k++) {
            data.put(randomString("abcdefghijklmnopqrstuvwxyz_\u00e9\u2603", 1 + random.nextInt(8)), value(0));
        }
        return data;
    }

    private Object value(int depth) {
        return switch (depth > 2 ? random.nextInt(4) : random.nextInt(7)) {
            case 0 -> randomString("abcdefghij \"\\\n\u00e9\u2603<>&", random.nextInt(random.nextInt(4) == 0
                    ? 400 : 20));
            case 1 -> random.nextLong() >> random.nextInt(64);
            case 2 -> random.nextBoolean();
            case 3 -> random.nextDouble() * 1e6;
            case 4 -> List.of(value(depth + 1), value(depth + 1));
            case 5 -> Map.of("k" + random.nextInt(9), value(depth + 1));
            default -> "user-" + random.nextInt(1000);
        };
    }

    private String randomString(String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private String tampered(String cookie) {
        StringBuilder text = new StringBuilder(cookie);
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            String pool = random.nextBoolean() ? ALPHABET : JUNK;
            text.setCharAt(random.nextInt(text.length()), pool.charAt(random.nextInt(pool.length())));
        }
        return text.toString();
    }

    private String reEncoded(String cookie) {
        int sig = cookie.lastIndexOf('.');
        int ts = cookie.lastIndexOf('.', sig - 1);
        String payload = cookie.substring(0, ts);
        String rest = cookie.substring(ts);
        return switch (random.nextInt(8)) {
            case 0 -> cookie.replace('-', '+').replace('_', '/');                      // standard alphabet
            case 1 -> payload + "==" + rest;                                            // padding on the payload
            case 2 -> cookie + "=".repeat(1 + random.nextInt(3));                       // padding on the signature
            case 3 -> {                                                                 // junk inserted
                int at = random.nextInt(cookie.length());
                yield cookie.substring(0, at) + JUNK.charAt(random.nextInt(JUNK.length())) + cookie.substring(at);
            }
            case 4 -> recompressed(payload) + rest;                                     // same JSON, other bytes
            case 5 -> payload + "." + timestamp(NOW - 1 - random.nextInt(1000)) + cookie.substring(sig); // older time
            case 6 -> Base64.getUrlEncoder().withoutPadding()                           // the whole cookie, again
                    .encodeToString(cookie.getBytes(StandardCharsets.US_ASCII));
            default -> cookie.replace(".", "%2E");                                      // percent-encoded
        };
    }

    private String recompressed(String payload) {
        byte[] raw;
        if (payload.startsWith(".")) {
            raw = LenientBase64.urlDecode(payload.getBytes(StandardCharsets.US_ASCII), 1, payload.length());
            try {
                raw = Zlib.decompress(raw, UrlSafeTimedSerializer.MAX_PAYLOAD_LENGTH);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        } else {
            raw = LenientBase64.urlDecode(payload.getBytes(StandardCharsets.US_ASCII), 0, payload.length());
        }
        Deflater deflater = random.nextBoolean() ? fast : best;
        deflater.reset();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return "." + LenientBase64.urlEncode(out.toByteArray());
    }

    private String forged() {
        byte[] json = ADMIN;
        return switch (random.nextInt(5)) {
            case 0 -> signedTimed(guessedKeys.get(random.nextInt(guessedKeys.size())), json, NOW);  // a guessed key
            case 1 -> signedTimed(List.of("change-me", "secret", "dev", "", "c", KEY.substring(1),
                    KEY + " ").get(random.nextInt(7)), json, NOW);                                   // well-known keys
            case 2 -> signedRaw(KEY, List.of("itsdangerous", "cookie-session ", "", "signer")
                    .get(random.nextInt(4)), LenientBase64.urlEncode(json), NOW);                    // another salt
            case 3 -> LenientBase64.urlEncode(json) + "." + timestamp(NOW) + "."
                    + randomString(ALPHABET, random.nextInt(40));                          // a made-up signature
            default -> LenientBase64.urlEncode(json) + "." + timestamp(NOW) + "."           // the payload's own
                    + LenientBase64.urlEncode(sign(KEY, "cookie-session",                   // signature, untimed
                            LenientBase64.urlEncode(json).getBytes(StandardCharsets.US_ASCII)));
        };
    }

    private String expiredOrUntimed() {
        byte[] json = genuineJson.get(random.nextInt(genuineJson.size()));
        return switch (random.nextInt(3)) {
            case 0 -> signedTimed(KEY, json, NOW - 2_678_401 - random.nextInt(1_000_000));           // expired
            case 1 -> signedTimed(KEY, json, NOW + 1 + random.nextInt(1_000_000));                   // in the future
            default -> {                                                                              // untimed
                String payload = LenientBase64.urlEncode(json);
                yield payload + "." + LenientBase64.urlEncode(sign(KEY, "cookie-session",
                        payload.getBytes(StandardCharsets.US_ASCII)));
            }
        };
    }

    /** Hostile payload segments, each already base64 (and with a leading '.' when zlib). */
    private static List<String> hostilePayloads() {
        List<String> payloads = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        raw.add("[".repeat(5_000).getBytes(StandardCharsets.US_ASCII));
        raw.add(("{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000)).getBytes(StandardCharsets.US_ASCII));
        raw.add(("1" + "0".repeat(4_000)).getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"n\":1e999999}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"n\":-1e-999999,\"m\":NaN,\"i\":-Infinity}".getBytes(StandardCharsets.US_ASCII));
        raw.add(("{\"n\":" + "9".repeat(3_000) + "}").getBytes(StandardCharsets.US_ASCII));
        raw.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        raw.add(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        raw.add("{\"a\":\"\\ud800\"}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"a\":\"\\u12\"}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\" t\":[1,2]}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"x\":{\" d\":\"not a date\"}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"x\":{\" u\":\"zz\"}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"x\":{\" b\":\"!!!\"}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"x\":{\" m\":5}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"x\":{\" di\":{\" t__\":\"v\"}}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("[1,2]".getBytes(StandardCharsets.US_ASCII));
        raw.add("\"abc\"".getBytes(StandardCharsets.US_ASCII));
        raw.add("null".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"a\":1".getBytes(StandardCharsets.US_ASCII));
        raw.add("{\"a\":1}}".getBytes(StandardCharsets.US_ASCII));
        raw.add("{'a':1}".getBytes(StandardCharsets.US_ASCII));
        raw.add(new byte[0]);
        for (byte[] bytes : raw) {
            payloads.add(LenientBase64.urlEncode(bytes));
            payloads.add("." + LenientBase64.urlEncode(deflate(bytes, 9)));
        }
        // not zlib, truncated zlib, zlib with trailing junk
        payloads.add("." + LenientBase64.urlEncode("not zlib".getBytes(StandardCharsets.US_ASCII)));
        byte[] stream = deflate("{\"a\":1}".getBytes(StandardCharsets.US_ASCII), 9);
        payloads.add("." + LenientBase64.urlEncode(java.util.Arrays.copyOf(stream, stream.length - 3)));
        byte[] trailing = java.util.Arrays.copyOf(stream, stream.length + 4);
        payloads.add("." + LenientBase64.urlEncode(trailing));
        payloads.add("!!!!");
        payloads.add("");
        payloads.add(".");
        return payloads;
    }

    /** zlib bombs: a few kilobytes that inflate to the 1 MiB limit and beyond, as nesting, a string, zeros. */
    private static List<String> bombs() {
        return List.of("." + LenientBase64.urlEncode(deflate(new byte[2 << 20], 9)),
                "." + LenientBase64.urlEncode(deflate("[".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII), 9)),
                "." + LenientBase64.urlEncode(deflate(("{\"a\":\"" + "x".repeat((1 << 20) - 9) + "\"}")
                        .getBytes(StandardCharsets.US_ASCII), 9)));
    }

    private static byte[] deflate(byte[] data, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out, new Deflater(level))) {
            zlib.write(data);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static String timestamp(long seconds) {
        byte[] bytes = ByteBuffer.allocate(8).putLong(seconds).array();
        int first = 0;
        while (first < 7 && bytes[first] == 0) {
            first++;
        }
        return LenientBase64.urlEncode(java.util.Arrays.copyOfRange(bytes, first, 8));
    }

    private String signedTimed(String key, byte[] json, long time) {
        byte[] compressed = Zlib.compressIfShorter(json);
        String payload = compressed != null ? "." + LenientBase64.urlEncode(compressed) : LenientBase64.urlEncode(json);
        return signedRaw(key, "cookie-session", payload, time);
    }

    private String signedRaw(String key, String salt, String payload, long time) {
        String signed = payload + "." + timestamp(time);
        return signed + "." + LenientBase64.urlEncode(sign(key, salt, signed.getBytes(StandardCharsets.UTF_8)));
    }

    /** itsdangerous's signature: HMAC-SHA1 keyed with HMAC-SHA1(key, salt); one MAC per key and salt, reused. */
    private byte[] sign(String key, String salt, byte[] data) {
        Mac mac = macs.computeIfAbsent(key + "\u0000" + salt, k -> {
            byte[] derived = hmac(key.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.US_ASCII));
            try {
                Mac m = Mac.getInstance("HmacSHA1");
                m.init(new SecretKeySpec(derived, "HmacSHA1"));
                return m;
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        });
        return mac.doFinal(data);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            // the JDK refuses an empty key spec; HMAC pads any key to the block size, so one zero byte is the same
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
