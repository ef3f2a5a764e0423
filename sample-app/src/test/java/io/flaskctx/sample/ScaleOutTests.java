package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.SessionInterface;
import io.flaskctx.session.ServletSessionInterface;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Several instances of the sample behind a load balancer, with the test as the balancer: each instance is a
 * whole Spring Boot application on its own port (in this JVM), each "browser" keeps its cookies and picks the
 * instance itself. What crosses instances is only the session: in the signed cookie (no infrastructure), or in
 * a real Redis server through Spring Session ({@code flaskctx.session.store=servlet}, the sample's
 * {@code redis} profile), skipped with a message where {@code redis-server} is not installed.
 * {@code scripts/scale-out.sh} runs the same scenarios as separate processes, under load, with restarts.
 */
class ScaleOutTests {

    private static final String OLD_KEY = "old-secret-key-0123456789abcdef";
    private static final String NEW_KEY = "new-secret-key-fedcba9876543210";

    private final List<Instance> instances = new ArrayList<>();
    private Process redis;

    @AfterEach
    void stopEverything() throws InterruptedException {
        instances.forEach(Instance::stop);
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCookieSessionWrittenOnOneInstanceIsReadOnTheOtherFlashesIncluded() throws Exception {
        Instance a = start("a", cookieStore(OLD_KEY));
        Instance b = start("b", cookieStore(OLD_KEY));
        Browser ann = new Browser();

        assertThat(ann.send(a, "POST", "/cluster/login?user=ann").user()).isEqualTo("ann");
        Answer onB = ann.send(b, "GET", "/cluster/me");
        assertThat(onB.instance()).isEqualTo("b");
        assertThat(onB.user()).as("logged in on a, read on b").isEqualTo("ann");

        ann.send(a, "POST", "/cluster/flash?message=saved");
        assertThat(ann.send(b, "GET", "/cluster/flashes").body())
                .contains("\"flashes\":[\"welcome ann (logged in on a)\",\"saved\"]");
        assertThat(ann.send(a, "GET", "/cluster/flashes").body()).as("taken on b, so gone on a")
                .contains("\"flashes\":[]");

        ann.send(b, "POST", "/cluster/logout");
        assertThat(ann.send(a, "GET", "/cluster/me").user()).as("logged out on b, so on a too").isNull();
    }

    @Test
    void aKeyRotationRolledOutInTwoStepsKeepsEveryoneLoggedIn() throws Exception {
        Instance a = start("a", cookieStore(OLD_KEY));
        Instance b = start("b", cookieStore(OLD_KEY));
        Browser ann = new Browser();
        ann.send(a, "POST", "/cluster/login?user=ann");

        // step 1, instance by instance: accept the new key, still sign with the old one
        a = replace(a, cookieStore(OLD_KEY, NEW_KEY));
        assertThat(ann.send(a, "GET", "/cluster/me").user()).isEqualTo("ann");
        b = replace(b, cookieStore(OLD_KEY, NEW_KEY));
        assertThat(ann.send(b, "GET", "/cluster/me").user()).isEqualTo("ann");

        // step 2, instance by instance: sign with the new key, accept the old one
        a = replace(a, cookieStore(NEW_KEY, OLD_KEY));
        Browser bob = new Browser();
        bob.send(a, "POST", "/cluster/login?user=bob");   // signed with the new key...
        assertThat(bob.send(b, "GET", "/cluster/me").user()).as("...read where old signs, new verifies")
                .isEqualTo("bob");
        assertThat(ann.send(a, "GET", "/cluster/me").user()).as("an old-key cookie on the rotated instance")
                .isEqualTo("ann");
        b = replace(b, cookieStore(NEW_KEY, OLD_KEY));
        for (Instance instance : List.of(a, b)) {
            assertThat(ann.send(instance, "GET", "/cluster/me").user()).isEqualTo("ann");
            assertThat(bob.send(instance, "GET", "/cluster/me").user()).isEqualTo("bob");
            assertThat(instance.rejectedCookies()).as("cookies rejected by " + instance.name).isZero();
        }
    }

    @Test
    void aRotationInOneStepLogsOutWhoeverTheRotatedInstanceWroteForUntilTheLastInstanceHasTheNewKey()
            throws Exception {
        Instance a = start("a", cookieStore(OLD_KEY));
        Instance b = start("b", cookieStore(OLD_KEY));
        a = replace(a, cookieStore(NEW_KEY, OLD_KEY));
        Browser bob = new Browser();
        bob.send(a, "POST", "/cluster/login?user=bob");

        // Flask's rule: b verifies with the old key only, so the new signature is a bad one: an empty session
        assertThat(bob.send(b, "GET", "/cluster/me").user()).isNull();
        assertThat(b.rejectedCookies()).isEqualTo(1);
    }

    @Test
    void serverSideSessionsLiveInRedisThroughSpringSessionSharedByInstancesAndKeptAcrossARestart()
            throws Exception {
        int redisPort = startRedis();
        Map<String, String> redisStore = Map.of("spring.profiles.active", "redis",
                "spring.data.redis.port", String.valueOf(redisPort));
        Instance a = start("a", redisStore);
        Instance b = start("b", redisStore);
        assertThat(a.context.getBean(SessionInterface.class)).as("flaskctx only talks to HttpSession")
                .isInstanceOf(ServletSessionInterface.class);
        StringRedisTemplate redisTemplate = a.context.getBean(StringRedisTemplate.class);
        Browser ann = new Browser();

        Answer login = ann.send(a, "POST", "/cluster/login?user=ann");
        assertThat(login.setCookies()).as("the browser holds only Spring Session's id")
                .anySatisfy(c -> assertThat(c).startsWith("SESSION="))
                .noneSatisfy(c -> assertThat(c).startsWith("session="));
        assertThat(redisTemplate.keys("spring:session:sessions:*")).hasSize(1);
        assertThat(ann.send(b, "GET", "/cluster/me").user()).isEqualTo("ann");
        assertThat(ann.send(b, "GET", "/cluster/flashes").body())
                .contains("\"flashes\":[\"welcome ann (logged in on a)\"]");
        assertThat(ann.send(a, "GET", "/cluster/flashes").body()).contains("\"flashes\":[]");

        a = replace(a, redisStore);
        assertThat(ann.send(a, "GET", "/cluster/me").user()).as("after a restart of a").isEqualTo("ann");

        ann.send(b, "POST", "/cluster/logout");
        assertThat(ann.send(a, "GET", "/cluster/me").user()).isNull();
        assertThat(a.context.getBean(StringRedisTemplate.class).keys("spring:session:sessions:*"))
                .as("the emptied session was invalidated").isEmpty();
    }

    private static Map<String, String> cookieStore(String key, String... fallbacks) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("flaskctx.config.SECRET_KEY", key);
        for (int i = 0; i < fallbacks.length; i++) {
            properties.put("flaskctx.config.SECRET_KEY_FALLBACKS[" + i + "]", fallbacks[i]);
        }
        return properties;
    }

    private Instance start(String name, Map<String, String> properties) {
        Instance instance = Instance.start(name, properties);
        instances.add(instance);
        return instance;
    }

    /** A rolling restart of one instance: stopped, then started again with its new configuration. */
    private Instance replace(Instance old, Map<String, String> properties) {
        old.stop();
        instances.remove(old);
        return start(old.name, properties);
    }

    private int startRedis() throws Exception {
        Path server = onPath("redis-server");
        Assumptions.assumeTrue(server != null, "redis-server is not installed (Debian: apt-get install"
                + " redis-server; .ci/run installs it where it can): the Spring Session + Redis scenario is skipped");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pong(port)) {
            assertThat(redis.isAlive()).as("redis-server on port " + port + " exited").isTrue();
            assertThat(System.nanoTime()).as("redis-server answering PING").isLessThan(deadline);
            Thread.sleep(50);
        }
        return port;
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean pong(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[7];
            int read = in.readNBytes(answer, 0, answer.length);
            return new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** One instance of the sample: a whole application on a port of its own. */
    static final class Instance {
        final String name;
        final ConfigurableApplicationContext context;
        final int port;

        private Instance(String name, ConfigurableApplicationContext context) {
            this.name = name;
            this.context = context;
            this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
        }

        static Instance start(String name, Map<String, String> properties) {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                    "--sample.instance=" + name, "--sample.offline-job.enabled=false",
                    "--flaskctx.debug.capture-push-sites=false", "--logging.level.io.flaskctx.sample=WARN",
                    "--spring.jmx.enabled=false"));
            properties.forEach((key, value) -> args.add("--" + key + "=" + value));
            return new Instance(name, new SpringApplicationBuilder(SampleApplication.class)
                    .run(args.toArray(String[]::new)));
        }

        /** Cookies this instance could not verify ({@code flaskctx.session.rejected}, every reason). */
        double rejectedCookies() {
            return context.getBean(MeterRegistry.class).find("flaskctx.session.rejected").functionCounters()
                    .stream().mapToDouble(c -> c.count()).sum();
        }

        void stop() {
            context.close();
        }
    }

    /** What {@code /cluster/**} answered. */
    record Answer(String instance, String user, String body, List<String> setCookies) {
    }

    /** A browser: keeps the cookies each answer sets (and drops the ones it deletes), sends a token per request. */
    static final class Browser {
        private static final HttpClient CLIENT = HttpClient.newHttpClient();
        private static final AtomicLong TOKENS = new AtomicLong();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Answer send(Instance instance, String method, String path) throws Exception {
            String token = "t" + TOKENS.incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + instance.port + path)).header("X-Token", token)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (!cookies.isEmpty()) {
                List<String> pairs = new ArrayList<>();
                cookies.forEach((name, value) -> pairs.add(name + "=" + value));
                request.header("Cookie", String.join("; ", pairs));
            }
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + " on " + instance.name).isEqualTo(200);
            assertThat(response.headers().firstValue("X-G-Token")).as("g of this request").hasValue(token);
            List<String> setCookies = response.headers().allValues("Set-Cookie");
            for (String setCookie : setCookies) {
                String pair = setCookie.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                if (setCookie.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, pair.substring(pair.indexOf('=') + 1));
                }
            }
            return new Answer(response.headers().firstValue("X-Instance").orElse(null),
                    response.headers().firstValue("X-Session-User").orElse(null), response.body(), setCookies);
        }
    }
}
