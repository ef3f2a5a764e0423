package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.FlaskApp;
import io.flaskctx.session.BadDataException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Cookies are signed and verified on many threads at once, each thread reusing its own MACs and the shared
 * compressors: two apps with different keys (and a third that rotated from the first's key) on the same
 * threads, interleaved. Every cookie must be the bytes a fresh serializer writes for it on one thread, verify
 * with its own app's keys and be refused by the other app's. A MAC or compressor shared between threads, or
 * between keys, fails this.
 */
class ConcurrentSigningTest {

    private static final Duration MAX_AGE = Duration.ofDays(31);
    private static final int THREADS = 6;
    private static final int ROUNDS = 1_500;

    @Test
    void signsAndVerifiesWithTheRightKeyOnManyThreadsAtOnce() throws Exception {
        FlaskApp alpha = app("alpha", "alpha-secret-key", null);
        FlaskApp beta = app("beta", "beta-secret-key", null);
        FlaskApp rotated = app("rotated", "gamma-secret-key", List.of("alpha-secret-key"));
        // each app's serializer, as its store makes it; the same for the whole run, as between key rotations
        UrlSafeTimedSerializer a = signing(alpha);
        UrlSafeTimedSerializer b = signing(beta);
        UrlSafeTimedSerializer c = signing(rotated);
        // the same keys, used on this thread only, for the expected bytes
        UrlSafeTimedSerializer referenceA = Vectors.serializer("alpha-secret-key", Vectors.FROZEN);
        UrlSafeTimedSerializer referenceB = Vectors.serializer("beta-secret-key", Vectors.FROZEN);
        UrlSafeTimedSerializer referenceC = Vectors.serializer("gamma-secret-key", Vectors.FROZEN);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    Random random = new Random(thread);
                    int checked = 0;
                    for (int i = 0; i < ROUNDS; i++) {
                        Map<String, Object> session = session(random, thread, i);
                        String cookieA = a.dumps(session);
                        String cookieB = b.dumps(session);
                        String cookieC = c.dumps(session);

                        assertThat(cookieA).isEqualTo(referenceA.dumps(session)).isNotEqualTo(cookieB);
                        assertThat(cookieB).isEqualTo(referenceB.dumps(session));
                        assertThat(cookieC).isEqualTo(referenceC.dumps(session)).isNotEqualTo(cookieA);
                        assertThat(a.loads(cookieA, MAX_AGE)).isEqualTo(session);
                        assertThat(b.loads(cookieB, MAX_AGE)).isEqualTo(session);
                        assertThat(c.loads(cookieC, MAX_AGE)).isEqualTo(session);
                        // the rotated app still reads the old key's cookies (a fallback), nobody else's
                        assertThat(c.loads(cookieA, MAX_AGE)).isEqualTo(session);
                        refused(b, cookieA);
                        refused(a, cookieB);
                        refused(c, cookieB);
                        refused(a, cookieC);
                        refused(b, cookieC);
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            int checked = 0;
            for (Future<Integer> result : results) {
                checked += result.get(2, TimeUnit.MINUTES);
            }
            assertThat(checked).isEqualTo(THREADS * ROUNDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void refused(UrlSafeTimedSerializer serializer, String cookie) {
        assertThatThrownBy(() -> serializer.loads(cookie, MAX_AGE)).isInstanceOfSatisfying(BadDataException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE));
    }

    private static FlaskApp app(String name, String key, @Nullable List<String> fallbacks) {
        FlaskApp app = new FlaskApp(name);
        app.config().put("SECRET_KEY", key);
        if (fallbacks != null) {
            app.config().put("SECRET_KEY_FALLBACKS", fallbacks);
        }
        return app;
    }

    private static UrlSafeTimedSerializer signing(FlaskApp app) {
        UrlSafeTimedSerializer serializer = new SecureCookieSessionInterface(Vectors.clockAt(Vectors.FROZEN))
                .signingSerializer(app);
        assertThat(serializer).isNotNull();
        return serializer;
    }

    /** Sessions of every size: small ones stay uncompressed, the hex ones compress. */
    private static Map<String, Object> session(Random random, int thread, int i) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("thread", (long) thread);
        session.put("i", (long) i);
        StringBuilder hex = new StringBuilder();
        int digits = random.nextInt(4) == 0 ? 0 : random.nextInt(400);
        for (int d = 0; d < digits; d++) {
            hex.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        session.put("_id", hex.toString());
        if (random.nextBoolean()) {
            session.put("_fresh", Boolean.TRUE);
        }
        return session;
    }
}
