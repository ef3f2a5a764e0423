package io.flaskctx.bench;

import io.flaskctx.FlaskApp;
import io.flaskctx.session.BadDataException;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.flaskctx.session.UrlSafeTimedSerializer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 5, Flask's signed session cookie: reading one ({@link #decodeVerify()}: base64, HMAC-SHA1 check,
 * timestamp and age, inflate, tagged JSON) and writing one ({@link #encodeSign()}: tagged JSON, zlib when
 * shorter, base64, timestamp, HMAC-SHA1), through the serializer the cookie session store uses.
 *
 * <p>The session is a typical Flask-Login session: {@code _fresh}, the 128-hex-digit session identifier
 * {@code _id}, {@code _user_id} and a 40-hex-digit {@code csrf_token}, about 200 bytes of JSON; its cookie is
 * zlib-compressed, as Flask writes it (hex digits compress). {@link #zlibAlone()} deflates the same JSON with
 * a reused JDK {@code Deflater} at the default level: itsdangerous tries zlib on every dump and keeps it when it
 * is shorter, and an identical cookie needs the same attempt: this row is the zlib part of
 * {@link #encodeSign()}, which takes a pooled, reset {@code Deflater} the same way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class SessionBenchmark {

    /** Flask's default PERMANENT_SESSION_LIFETIME, the age limit the store checks. */
    private static final Duration MAX_AGE = Duration.ofDays(31);

    private UrlSafeTimedSerializer serializer;
    private Map<String, Object> session;
    private String cookie;
    private byte[] json;
    private byte[] deflated;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);

    @Setup(Level.Trial)
    public void setUp() throws BadDataException, DataFormatException {
        FlaskApp app = new FlaskApp("bench");
        app.config().put("SECRET_KEY", "a0c7f3e1b9d24f6a8e5c1d3b7f9a2e4c");
        serializer = new SecureCookieSessionInterface().signingSerializer(app);

        session = new LinkedHashMap<>();
        session.put("_fresh", true);
        session.put("_id", "9f2c4e7a1b3d5f8092e6c4a1b7d3f5e8c2a4b6d8f0e1c3a5b7d9f2e4c6a8b0d2"
                + "e1f3a5c7b9d0f2e4a6c8b1d3f5e7a9c0b2d4f6e8a1c3b5d7f9e0a2c4b6d8f1e3");
        session.put("_user_id", "1042");
        session.put("csrf_token", "4b1e9d2c7a5f3e8b0d6c1a9f4e2b7d5c3a8f0e6b");

        cookie = serializer.dumps(session);
        Object read = serializer.loads(cookie, MAX_AGE);
        if (!session.equals(read)) {
            throw new IllegalStateException("The session does not survive a round trip: " + session + " -> " + read);
        }
        if (cookie.charAt(0) != '.') {
            throw new IllegalStateException("Expected a compressed cookie, as Flask writes for this session: " + cookie);
        }
        // The JSON inside the cookie, for the zlib row: base64 of the payload, then inflate.
        String payload = cookie.substring(1, cookie.indexOf('.', 1));
        deflated = Base64.getUrlDecoder().decode(payload);
        json = inflate(deflated);
        if (json.length < 180 || json.length > 240) {
            throw new IllegalStateException("Expected about 200 bytes of JSON, got " + json.length + ": "
                    + new String(json, StandardCharsets.UTF_8));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        deflater.end();
    }

    private static byte[] inflate(byte[] data) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    throw new DataFormatException("truncated");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    /** The JSON's size and the cookie's, for BENCHMARKS.md; not a benchmark. */
    public static void main(String[] args) throws Exception {
        SessionBenchmark b = new SessionBenchmark();
        b.setUp();
        System.out.println("JSON " + b.json.length + " B: " + new String(b.json, StandardCharsets.UTF_8));
        System.out.println("zlib " + b.deflated.length + " B; cookie " + b.cookie.length() + " chars: " + b.cookie);
        b.tearDown();
    }

    @Benchmark
    public Object decodeVerify() throws BadDataException {
        return serializer.loads(cookie, MAX_AGE);
    }

    @Benchmark
    public String encodeSign() {
        return serializer.dumps(session);
    }

    /** The same JSON, deflated by a reused JDK deflater at the default level (as the encode does). */
    @Benchmark
    public int zlibAlone() {
        deflater.reset();
        deflater.setInput(json);
        deflater.finish();
        byte[] out = new byte[json.length];
        int length = 0;
        while (!deflater.finished()) {
            length += deflater.deflate(out, length, out.length - length);
        }
        return length;
    }
}
