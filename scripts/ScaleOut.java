import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver of {@code scripts/scale-out.sh} (which documents the settings): runs sample-app instances as
 * separate processes on loopback and virtual users against them, the way a browser behind a round-robin load
 * balancer would, and prints what crossed instances and what was lost.
 *
 * <pre>java scripts/ScaleOut.java JAR OUT_DIR [REDIS_PORT]</pre>
 *
 * Scenarios: (1) the cookie store with a shared key, then the key rotated instance by instance in two rollouts
 * (nobody logged out) and in one (Flask logs out users whose cookie an updated instance rewrote); (2) the
 * servlet store on Spring Session + Redis; (3) rolling restarts under load for both stores. Every instance is
 * stopped with SIGTERM and its graceful-shutdown log line (requests started, torn down, g mismatches) checked.
 * Exit status 0 when every check passed, 1 when one failed, 2 when the run could not be carried out.
 */
public class ScaleOut {

    // Three generations of the cookie store's SECRET_KEY: the two-step rollout goes 1 -> 2, the naive one 2 -> 3.
    private static final String KEY_1 = "scale-out-key-1-0123456789abcdef";
    private static final String KEY_2 = "scale-out-key-2-0123456789abcdef";
    private static final String KEY_3 = "scale-out-key-3-0123456789abcdef";
    // Traffic keeps running this long after an instance is back, so the next one stops with its cookies spread.
    private static final Duration DWELL = Duration.ofSeconds(2);
    // Think time of the users during key rollouts: session writes on every instance, CPU left for the restarts.
    private static final long ROLLOUT_THINK_MS = 50;
    // Every other /cluster/me of the rollout and load users sleeps this long, so a stop has requests in flight.
    private static final int SLOW_MS = 300;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern STOP_LINE = Pattern.compile(
            "cluster instance (\\S+) stopped: (\\d+) requests started, (\\d+) torn down, (\\d+) g mismatches");
    private static final Pattern METRIC_VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)");

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final AtomicLong tokens = new AtomicLong();
    private final Instant began = Instant.now();

    private ScaleOut(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        ScaleOut run = new ScaleOut(Settings.from(args));
        Runtime.getRuntime().addShutdownHook(new Thread(run::killLeftovers));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(run.settings.maxSeconds()));
                System.err.println("scale-out: MAX_SECONDS=" + run.settings.maxSeconds() + " passed; stopping");
                System.exit(2);
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        int status;
        try {
            status = run.run();
        } catch (Exception e) {
            System.err.println("scale-out: the run could not be carried out: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Files.createDirectories(settings.out());
        Files.writeString(settings.pidFile(), "");
        String only = settings.only();
        if (only.isEmpty() || only.equals("cookie") || only.equals("rolling")) {
            Cluster cookie = startCluster("cookie", cookieKeys(KEY_1));
            Row last = only.equals("rolling") ? null : cookieScenario(cookie);
            if (!only.equals("cookie")) {
                last = rollingRestart(cookie, "3a. rolling restart under load, cookie store");
            }
            stopCluster(cookie, last);
        }
        if (only.isEmpty() || only.equals("redis") || only.equals("rolling")) {
            if (settings.redisPort() == 0) {
                String skipped = "skipped: no redis-server (scripts/scale-out.sh could not install it)";
                System.out.println("\n== Redis scenarios " + skipped);
                rows.add(Row.skipped("2. servlet store on Spring Session + Redis", skipped));
                rows.add(Row.skipped("3b. rolling restart under load, Redis store", skipped));
            } else {
                Cluster redis = startCluster("redis", List.of("--spring.profiles.active=redis",
                        "--spring.data.redis.port=" + settings.redisPort()));
                Row last = only.equals("rolling") ? null : redisScenario(redis);
                if (!only.equals("redis")) {
                    last = rollingRestart(redis, "3b. rolling restart under load, Redis store");
                }
                stopCluster(redis, last);
            }
        }
        return summary();
    }

    // ---- scenarios -----------------------------------------------------------------------------------------

    /** Scenario 1: one login across instances with the signed cookie, then the key rotated twice. */
    private Row cookieScenario(Cluster cluster) throws Exception {
        List<User> users = users("user", settings.users());
        Row shared = crossInstance(cluster, users, "1. cookie store, shared SECRET_KEY, no infrastructure");
        shared.check(cluster.rejected(shared.tally) == 0, "no cookie rejected (flaskctx.session.rejected)");
        shared.finish(settings.out());

        // Flask's rollout: first every instance accepts the new key (still signing with the old one), then every
        // instance signs with it. No instance ever meets a cookie signed with a key it does not know.
        Row twoStep = row("1b. key rotation, two rollouts (1->2)",
                "key 1 -> 2: every instance SECRET_KEY=1 + fallback 2, then every instance SECRET_KEY=2 + fallback 1;"
                        + " " + users.size() + " users writing sessions throughout");
        cluster.markRejected();
        try (Traffic traffic = new Traffic(cluster, users, twoStep.tally, ROLLOUT_THINK_MS)) {
            for (Instance instance : cluster.instances) {
                restart(cluster, instance, cookieKeys(KEY_1, KEY_2), twoStep);
            }
            for (Instance instance : cluster.instances) {
                restart(cluster, instance, cookieKeys(KEY_2, KEY_1), twoStep);
            }
        }
        long rejected = cluster.rejected(twoStep.tally);
        twoStep.note("cookies rejected (flaskctx.session.rejected): " + rejected
                + "; step 3, once PERMANENT_SESSION_LIFETIME has passed: drop key 1 from the fallbacks");
        twoStep.check(twoStep.tally.lost.sum() == 0, "no session lost in the two-step rotation");
        twoStep.check(rejected == 0, "no cookie rejected in the two-step rotation");
        twoStep.finish(settings.out());

        // The shortcut: straight to "sign with the new key", one instance after the other. Until the last one
        // is updated, a cookie rewritten by an updated instance is rejected by the others: the user is logged
        // out (Flask's behaviour; the users here log in again and go on).
        Row naive = row("1c. key rotation, one rollout (2->3)",
                "key 2 -> 3 in one rollout: SECRET_KEY=3 + fallback 2 on A, then on B");
        cluster.markRejected();
        try (Traffic traffic = new Traffic(cluster, users, naive.tally, ROLLOUT_THINK_MS)) {
            for (Instance instance : cluster.instances) {
                restart(cluster, instance, cookieKeys(KEY_3, KEY_2), naive);
            }
        }
        rejected = cluster.rejected(naive.tally);
        naive.note("one rollout: " + naive.tally.lost.sum() + " requests found their user logged out ("
                + naive.tally.lostUsers.size() + " of " + users.size() + " users, logged in again) while A signed"
                + " with key 3 and B knew only 2 and 1: expected, it is why the rotation takes two rollouts; "
                + rejected + " cookies rejected (flaskctx.session.rejected, read before each SIGTERM: not the"
                + " requests an instance finished while stopping)");
        naive.expectLost();
        naive.check(naive.tally.lost.sum() > 0, "the one-rollout rotation logged users out (Flask's behaviour)");
        naive.check(rejected > 0, "the instance still on key 2 rejected key-3 cookies");
        naive.finish(settings.out());
        return naive;
    }

    /** Scenario 2: the same users against the servlet store, which Spring Session keeps in Redis. */
    private Row redisScenario(Cluster cluster) throws Exception {
        List<User> users = users("user", settings.users());
        Row row = crossInstance(cluster, users, "2. servlet store on Spring Session + Redis");
        long keys = redisKeys();
        int loggedOut = 0;
        for (User user : users) {
            Reply reply = send(cluster, user, "POST", "/cluster/logout", row.tally);
            if (reply != null && reply.user() == null) {
                loggedOut++;
            }
        }
        row.check(loggedOut == users.size(), "every logout answered without a user (" + loggedOut + ")");
        long keysAfterLogout = redisKeys();
        row.note(keys + " spring:session:sessions:* keys in Redis for " + users.size() + " logged-in users, "
                + keysAfterLogout + " after they logged out");
        row.check(keys == users.size(), "one Redis session per user (" + keys + " keys)");
        row.check(keysAfterLogout == 0, "logout removed the sessions from Redis (" + keysAfterLogout + " left)");
        row.finish(settings.out());
        return row;
    }

    /** Log in on one instance, then REQUESTS requests per user, each on the other instance than the last. */
    private Row crossInstance(Cluster cluster, List<User> users, String scenario) throws Exception {
        Row row = row(scenario, users.size() + " users, " + settings.requests()
                + " requests each after logging in, alternating A and B");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(users.size(), 16));
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (User user : users) {
                runs.add(pool.submit(() -> {
                    step(cluster, user, row.tally, false);
                    for (int i = 0; i < settings.requests(); i++) {
                        step(cluster, user, row.tally, false);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return row;
    }

    /** Scenario 3: load on both instances while each is stopped gracefully and started again in turn. */
    private Row rollingRestart(Cluster cluster, String scenario) throws Exception {
        Row row = row(scenario, settings.loadUsers() + " users without think time (every other /cluster/me sleeps "
                + SLOW_MS + " ms), " + settings.loadSeconds() + " s, then A and B restarted in turn, then "
                + settings.loadSeconds() + " s");
        List<User> users = users("load", settings.loadUsers());
        if (cluster.store.equals("cookie")) {
            cluster.markRejected();
        }
        try (Traffic traffic = new Traffic(cluster, users, row.tally, 0)) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.loadSeconds()));
            for (Instance instance : cluster.instances) {
                restart(cluster, instance, instance.args, row);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(settings.loadSeconds()));
        }
        row.note(row.tally.closed.sum() + " requests met a connection closed by a stopping instance (an IOException"
                + " after the request was sent on a kept-alive connection, GET and POST alike): retried on the other"
                + " instance, " + row.tally.closedRetried.sum() + " answered there");
        row.check(row.tally.failovers.sum() > 0, "the load reached the stopped instances (failovers > 0)");
        if (cluster.store.equals("cookie")) {
            long rejected = cluster.rejected(row.tally);
            row.check(rejected == 0, "no cookie rejected (" + rejected + ")");
        } else {
            long keys = redisKeys();
            row.note(keys + " spring:session:sessions:* keys in Redis for the " + users.size()
                    + " load users, after both restarts");
            row.check(keys == users.size(), "one Redis session per load user (" + keys + " keys)");
        }
        row.finish(settings.out());
        return row;
    }

    // ---- users ---------------------------------------------------------------------------------------------

    /** A browser: its own cookie jar, and what its session should hold by now. */
    static final class User {
        final String name;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        boolean loggedIn;
        Instance lastServed;
        // The instance that last changed the session: a read elsewhere with the user present is a cross-instance hit.
        Instance writer;
        String flash;
        Instance flashedOn;
        Instance flashShownOn;
        int step;

        User(String name) {
            this.name = name;
        }

        String cookieHeader() {
            List<String> pairs = new ArrayList<>();
            cookies.forEach((cookie, value) -> pairs.add(cookie + "=" + value));
            return String.join("; ", pairs);
        }

        /** Keeps what Set-Cookie sets; drops what it deletes (empty value, Max-Age <= 0, Expires in the past). */
        void storeCookies(HttpHeaders headers) {
            for (String setCookie : headers.allValues("Set-Cookie")) {
                String[] parts = setCookie.split(";");
                int equals = parts[0].indexOf('=');
                String cookie = parts[0].substring(0, equals).trim();
                String value = parts[0].substring(equals + 1).trim();
                boolean gone = value.isEmpty();
                for (int i = 1; i < parts.length; i++) {
                    String attribute = parts[i].trim();
                    String lower = attribute.toLowerCase();
                    if (lower.startsWith("max-age=")) {
                        gone |= Long.parseLong(attribute.substring(8).trim()) <= 0;
                    } else if (lower.startsWith("expires=")) {
                        gone |= expired(attribute.substring(8).trim());
                    }
                }
                if (gone) {
                    cookies.remove(cookie);
                } else {
                    cookies.put(cookie, value);
                }
            }
        }

        private static boolean expired(String date) {
            try {
                return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                        .isBefore(Instant.now());
            } catch (DateTimeParseException unreadable) {
                return false;
            }
        }

        void loggedOut() {
            loggedIn = false;
            flash = null;
        }
    }

    private static List<User> users(String prefix, int count) {
        List<User> users = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            users.add(new User(prefix + "-" + i));
        }
        return users;
    }

    /**
     * One request of a user. Logged out: log in. Logged in, a cycle of four: who am I; flash a message; show
     * the flashes (the message must be there); show them again (it must be gone). The balancer sends each
     * request to the other instance than the last, so the flash is shown by another instance than the one
     * that flashed it, and the emptied list is read by the first one again.
     */
    private void step(Cluster cluster, User user, Tally tally, boolean slow) throws InterruptedException {
        if (!user.loggedIn) {
            Reply reply = send(cluster, user, "POST", "/cluster/login?user=" + user.name, tally);
            if (reply != null) {
                if (user.name.equals(reply.user())) {
                    user.loggedIn = true;
                    user.writer = reply.servedBy();
                } else {
                    tally.error("login of " + user.name + " on " + reply.servedBy().name + " answered user "
                            + reply.user());
                }
            }
            return;
        }
        int phase = user.step++ % 8;
        switch (phase % 4) {
            case 0 -> {
                boolean sleeps = slow && phase == 0;
                present(user, send(cluster, user, "GET", "/cluster/me" + (sleeps ? "?sleep=" + SLOW_MS : ""),
                        tally), tally);
            }
            case 1 -> {
                String message = "m-" + tokens.incrementAndGet();
                Reply reply = send(cluster, user, "POST", "/cluster/flash?message=" + message, tally);
                if (present(user, reply, tally)) {
                    user.flash = message;
                    user.flashedOn = reply.servedBy();
                    user.flashShownOn = null;
                    user.writer = reply.servedBy();
                }
            }
            case 2 -> {
                Reply reply = send(cluster, user, "GET", "/cluster/flashes", tally);
                if (present(user, reply, tally) && user.flash != null) {
                    if (reply.body().contains("\"" + user.flash + "\"")) {
                        user.flashShownOn = reply.servedBy();
                        user.writer = reply.servedBy();
                    } else {
                        tally.flashFailed(user.name + ": " + user.flash + " flashed on " + user.flashedOn.name
                                + " not shown by " + reply.servedBy().name + ": " + reply.body());
                        user.flash = null;
                    }
                }
            }
            default -> {
                Reply reply = send(cluster, user, "GET", "/cluster/flashes", tally);
                if (present(user, reply, tally) && user.flash != null) {
                    if (reply.body().contains("\"" + user.flash + "\"")) {
                        tally.flashFailed(user.name + ": " + user.flash + " shown by " + user.flashShownOn.name
                                + " shown again by " + reply.servedBy().name);
                    } else {
                        tally.flashTrips.increment();
                        if (user.flashShownOn != user.flashedOn) {
                            tally.crossFlashTrips.increment();
                        }
                    }
                    user.flash = null;
                }
            }
        }
    }

    /** Checks the session still had the user; counts a cross-instance hit, or a lost session (then logs in again). */
    private static boolean present(User user, Reply reply, Tally tally) {
        if (reply == null) {
            return false;
        }
        if (reply.user() == null) {
            tally.lost.increment();
            tally.lostUsers.add(user.name);
            user.loggedOut();
            return false;
        }
        if (!user.name.equals(reply.user())) {
            tally.error(user.name + " got the session of " + reply.user() + " from " + reply.servedBy().name);
            return false;
        }
        if (reply.servedBy() != user.writer) {
            tally.crossHits.increment();
        }
        return true;
    }

    /** What one request answered, and where. */
    record Reply(Instance servedBy, String user, String body) {
    }

    /**
     * Sends a user's request as a round-robin balancer with passive health checks would: to the other instance
     * than the one that served the user last; a refused connection (instance down) fails over to the next
     * instance. A request that fails after it was sent, on a connection to an instance that is stopping or has
     * stopped since, was cut by the stop: counted apart and retried on the next instance. Anything else, and
     * any status but 200, is an error.
     */
    private Reply send(Cluster cluster, User user, String method, String path, Tally tally)
            throws InterruptedException {
        String token = user.name + "." + tokens.incrementAndGet();
        boolean retried = false;
        for (Instance target : cluster.startingAfter(user.lastServed)) {
            int generation = target.generation.get();
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(path)).timeout(Duration.ofSeconds(15))
                    .header("X-Token", token).method(method, HttpRequest.BodyPublishers.noBody());
            if (!user.cookies.isEmpty()) {
                request.header("Cookie", user.cookieHeader());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException refused) {
                tally.failovers.increment();
                continue;
            } catch (HttpTimeoutException timeout) {
                tally.error(method + " " + path + " to " + target.name + " timed out");
                return null;
            } catch (IOException cut) {
                if (target.stopping || target.generation.get() != generation) {
                    tally.closed.increment();
                    cluster.closed.increment();
                    tally.sample(method + " " + path + " to stopping " + target.name + ": " + cut);
                    retried = true;
                    continue;
                }
                tally.error(method + " " + path + " to " + target.name + ": " + cut);
                return null;
            }
            tally.requests.increment();
            cluster.answered.increment();
            if (retried) {
                tally.closedRetried.increment();
            }
            user.storeCookies(response.headers());
            HttpHeaders headers = response.headers();
            String g = headers.firstValue("X-G-Token").orElse(null);
            String echo = headers.firstValue("X-Echo").orElse(null);
            if (!token.equals(g) || !token.equals(echo)) {
                tally.mismatches.increment();
                tally.sample("g mismatch: sent " + token + ", g " + g + ", echo " + echo + " from " + target.name);
            }
            Instance servedBy = cluster.named(headers.firstValue("X-Instance").orElse(""));
            if (response.statusCode() != 200 || servedBy == null) {
                tally.error(method + " " + path + " to " + target.name + ": " + response.statusCode() + " "
                        + response.body());
                return null;
            }
            user.lastServed = servedBy;
            return new Reply(servedBy, headers.firstValue("X-Session-User").orElse(null), response.body());
        }
        tally.error(method + " " + path + " of " + user.name + ": no instance took it");
        return null;
    }

    /** Users going through their steps, each on its own thread, until closed. */
    final class Traffic implements AutoCloseable {
        private volatile boolean running = true;
        private final List<Thread> threads = new ArrayList<>();

        Traffic(Cluster cluster, List<User> users, Tally tally, long thinkMillis) {
            for (User user : users) {
                Thread thread = new Thread(() -> {
                    try {
                        while (running) {
                            step(cluster, user, tally, true);
                            if (thinkMillis > 0) {
                                Thread.sleep(thinkMillis);
                            }
                        }
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                }, "traffic-" + user.name);
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                if (thread.isAlive()) {
                    thread.interrupt();
                }
            }
        }
    }

    /** Counts of one scenario, added to by every user thread. */
    static final class Tally {
        final LongAdder requests = new LongAdder();
        final LongAdder crossHits = new LongAdder();
        final LongAdder flashTrips = new LongAdder();
        final LongAdder crossFlashTrips = new LongAdder();
        final LongAdder flashFailures = new LongAdder();
        final LongAdder failovers = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder closedRetried = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder lost = new LongAdder();
        final LongAdder mismatches = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final Set<String> lostUsers = ConcurrentHashMap.newKeySet();
        // The first few errors and oddities, for the driver log.
        final Queue<String> samples = new ConcurrentLinkedQueue<>();
        private final AtomicInteger sampled = new AtomicInteger();

        void error(String what) {
            errors.increment();
            sample("error: " + what);
        }

        void flashFailed(String what) {
            flashFailures.increment();
            sample("flash: " + what);
        }

        void sample(String what) {
            if (sampled.incrementAndGet() <= 30) {
                samples.add(what);
            }
        }
    }

    // ---- instances -----------------------------------------------------------------------------------------

    /** The instances of one store behind the balancer: A and B. */
    final class Cluster {
        final String store;
        final List<Instance> instances;
        // Over the cluster's life: the /cluster answers clients got, the requests on connections closed by a
        // stopping instance, and the stop lines of all its instances.
        final LongAdder answered = new LongAdder();
        final LongAdder closed = new LongAdder();
        final List<StopLine> stops = new ArrayList<>();

        Cluster(String store, List<Instance> instances) {
            this.store = store;
            this.instances = instances;
        }

        /** The balancer's order for a request: round robin from the instance after {@code last}. */
        List<Instance> startingAfter(Instance last) {
            int first = last == null ? 0 : (instances.indexOf(last) + 1) % instances.size();
            List<Instance> order = new ArrayList<>(instances.subList(first, instances.size()));
            order.addAll(instances.subList(0, first));
            return order;
        }

        Instance named(String name) {
            return instances.stream().filter(instance -> instance.name.equals(name)).findFirst().orElse(null);
        }

        void markRejected() throws InterruptedException {
            for (Instance instance : instances) {
                instance.rejectedCounted = instance.rejected();
            }
        }

        /** Adds the cookies rejected since the last look to the tally; returns the tally's total. */
        long rejected(Tally tally) throws InterruptedException {
            for (Instance instance : instances) {
                instance.collectRejected(tally);
            }
            return tally.rejected.sum();
        }
    }

    /** One instance slot: a name and a port, (re)started with the arguments of the moment. */
    final class Instance {
        final String name;
        final int port;
        final String store;
        volatile List<String> args;
        volatile Process process;
        // Set from the SIGTERM until the instance answers health again; a connection cut meanwhile is the stop's.
        volatile boolean stopping;
        final AtomicInteger generation = new AtomicInteger();
        private int starts;
        private Path log;
        private long rejectedCounted;

        Instance(String store, String name, int port) {
            this.store = store;
            this.name = name;
            this.port = port;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        void start(List<String> args) throws IOException {
            if (listening(port)) {
                throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: set BASE_PORT");
            }
            this.args = args;
            starts++;
            log = settings.out().resolve(store + "-" + name + "-" + starts + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(settings.javaOpts());
            command.addAll(List.of("-jar", settings.jar().toString(), "--server.address=127.0.0.1",
                    "--server.port=" + port, "--sample.instance=" + name, "--sample.offline-job.enabled=false",
                    "--flaskctx.debug.capture-push-sites=false", "--logging.level.io.flaskctx.sample=WARN",
                    "--logging.level.io.flaskctx.sample.ClusterController=INFO"));
            command.addAll(args);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            processes.add(process);
            // scale-out.sh's EXIT trap stops what is listed here, should this JVM die without its shutdown hook
            Files.writeString(settings.pidFile(), process.pid() + "\n", StandardOpenOption.APPEND);
            rejectedCounted = 0;
        }

        void awaitHealthy() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            HttpRequest health = HttpRequest.newBuilder(uri("/actuator/health")).timeout(Duration.ofSeconds(5)).build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(store + " " + name + " exited while starting; see " + log);
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        stopping = false;
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(store + " " + name + " not healthy within " + START_TIMEOUT
                    + "; see " + log);
        }

        /** SIGTERM, wait for the exit, and read the line the instance logged as it stopped. */
        StopLine stop() throws IOException, InterruptedException {
            stopping = true;
            generation.incrementAndGet();
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new StopLine(name, log, -1, -1, -1, "did not stop within " + STOP_TIMEOUT + ": killed");
            }
            Matcher line = STOP_LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
            StopLine found = null;
            while (line.find()) {
                found = new StopLine(name, log, Long.parseLong(line.group(2)), Long.parseLong(line.group(3)),
                        Long.parseLong(line.group(4)), null);
            }
            return found != null ? found : new StopLine(name, log, -1, -1, -1, "no stop line in the log");
        }

        /** Cookies this instance refused since it started ({@code flaskctx.session.rejected}, every reason). */
        long rejected() throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri("/actuator/metrics/flaskctx.session.rejected"))
                    .timeout(Duration.ofSeconds(5)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher value = METRIC_VALUE.matcher(response.body());
                if (response.statusCode() != 200 || !value.find()) {
                    throw new IllegalStateException("flaskctx.session.rejected of " + name + ": "
                            + response.statusCode() + " " + response.body());
                }
                return (long) Double.parseDouble(value.group(1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void collectRejected(Tally tally) throws InterruptedException {
            long now = rejected();
            tally.rejected.add(now - rejectedCounted);
            rejectedCounted = now;
        }
    }

    /** The graceful-shutdown figures an instance logged, or why there are none. */
    record StopLine(String instance, Path log, long started, long tornDown, long mismatches, String problem) {
        boolean clean() {
            return problem == null && started == tornDown && mismatches == 0;
        }

        @Override
        public String toString() {
            return problem != null ? instance + " " + problem + " (" + log + ")"
                    : instance + " stopped: " + started + " requests started, " + tornDown + " torn down, "
                            + mismatches + " g mismatches (" + log.getFileName() + ")";
        }
    }

    private Cluster startCluster(String store, List<String> args) throws Exception {
        Cluster cluster = new Cluster(store, List.of(new Instance(store, "A", settings.basePort()),
                new Instance(store, "B", settings.basePort() + 1)));
        System.out.println("\n== " + store + " store: starting A on :" + settings.basePort() + " and B on :"
                + (settings.basePort() + 1));
        long start = System.nanoTime();
        for (Instance instance : cluster.instances) {
            instance.start(args);
        }
        for (Instance instance : cluster.instances) {
            instance.awaitHealthy();
        }
        System.out.printf("   both healthy after %.1f s%n", (System.nanoTime() - start) / 1e9);
        return cluster;
    }

    /** A rolling restart of one instance: graceful stop, start with {@code args}, healthy, traffic for a while. */
    private void restart(Cluster cluster, Instance instance, List<String> args, Row row) throws Exception {
        if (cluster.store.equals("cookie")) {
            instance.collectRejected(row.tally);
        }
        long start = System.nanoTime();
        StopLine stopped = instance.stop();
        cluster.stops.add(stopped);
        double stopSeconds = (System.nanoTime() - start) / 1e9;
        row.stops.add(stopped);
        instance.start(args);
        instance.awaitHealthy();
        System.out.printf("   %s; back after %.1f s (stop %.1f s)%s%n", stopped, (System.nanoTime() - start) / 1e9,
                stopSeconds, keysOf(args));
        Thread.sleep(DWELL.toMillis());
    }

    /**
     * Stops both instances gracefully; then the requests their stop lines say were started must be the answers
     * the clients got: a request on a connection closed by a stopping instance (retried elsewhere) had not
     * reached the controller.
     */
    private void stopCluster(Cluster cluster, Row row) throws Exception {
        for (Instance instance : cluster.instances) {
            StopLine stopped = instance.stop();
            cluster.stops.add(stopped);
            row.stops.add(stopped);
            System.out.println("   final stop: " + stopped);
        }
        row.check(row.stops.stream().allMatch(StopLine::clean),
                "every graceful stop: requests started == torn down, no g mismatch");
        long started = cluster.stops.stream().mapToLong(StopLine::started).sum();
        long answered = cluster.answered.sum();
        long closed = cluster.closed.sum();
        row.note("the " + cluster.store + " instances started " + started + " /cluster requests in all, the clients"
                + " got " + answered + " answers" + (started == answered && closed > 0 ? ": the " + closed
                        + " requests on connections closed by a stopping instance had not reached a controller, so"
                        + " retrying them was safe" : ""));
        row.check(started == answered, "requests started by the instances == answers to the clients");
    }

    private static String keysOf(List<String> args) {
        StringBuilder keys = new StringBuilder();
        for (String arg : args) {
            if (arg.contains("SECRET_KEY")) {
                keys.append(keys.length() == 0 ? ", now " : " + ").append(arg.contains("FALLBACKS") ? "fallback " : "")
                        .append("key ").append(arg.charAt(arg.indexOf("scale-out-key-") + 14));
            }
        }
        return keys.toString();
    }

    private static List<String> cookieKeys(String key, String... fallbacks) {
        List<String> args = new ArrayList<>(List.of("--flaskctx.config.SECRET_KEY=" + key));
        for (int i = 0; i < fallbacks.length; i++) {
            args.add("--flaskctx.config.SECRET_KEY_FALLBACKS[" + i + "]=" + fallbacks[i]);
        }
        return args;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException free) {
            return false;
        }
    }

    /** Spring Session's sessions in Redis, counted with redis-cli (SCAN, not KEYS: it does not block Redis). */
    private long redisKeys() throws IOException, InterruptedException {
        Process cli = new ProcessBuilder("redis-cli", "-p", String.valueOf(settings.redisPort()), "--scan",
                "--pattern", "spring:session:sessions:*").redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(30, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IllegalStateException("redis-cli --scan failed: " + out);
        }
        return out.lines().filter(line -> !line.isBlank()).count();
    }

    private void killLeftovers() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    // ---- figures -------------------------------------------------------------------------------------------

    private Row row(String scenario, String what) {
        Row row = new Row(scenario);
        rows.add(row);
        System.out.printf("%n== %s (at %d s): %s%n", scenario, Duration.between(began, Instant.now()).toSeconds(),
                what);
        return row;
    }

    /** One scenario's figures, checks and notes: a line of the summary table. */
    static final class Row {
        final String scenario;
        final Tally tally = new Tally();
        final List<StopLine> stops = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> failures = new LinkedHashSet<>();
        private boolean lostExpected;
        private String skipped;

        Row(String scenario) {
            this.scenario = scenario;
        }

        static Row skipped(String scenario, String why) {
            Row row = new Row(scenario);
            row.skipped = why;
            return row;
        }

        void note(String note) {
            notes.add(note);
            System.out.println("   " + note);
        }

        void check(boolean ok, String what) {
            if (!ok && failures.add(what)) {
                System.out.println("   FAILED: " + what);
            }
        }

        void expectLost() {
            lostExpected = true;
        }

        /** The checks every scenario shares, then its figures and samples, printed and logged. */
        void finish(Path out) throws IOException {
            check(tally.errors.sum() == 0, "no errors");
            check(tally.mismatches.sum() == 0, "no g mismatch seen by the client");
            check(tally.flashFailures.sum() == 0, "every flash shown once, on the next request that asked");
            check(lostExpected || tally.lost.sum() == 0, "no session lost");
            check(stops.stream().allMatch(StopLine::clean),
                    "every graceful stop: requests started == torn down, no g mismatch");
            check(tally.requests.sum() > 0, "requests were answered");
            System.out.println("   " + figures());
            List<String> log = new ArrayList<>();
            log.add("== " + scenario + ": " + figures());
            stops.forEach(stop -> log.add("stop: " + stop));
            log.addAll(tally.samples);
            Files.write(out.resolve("driver.log"), log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            tally.samples.stream().limit(3).forEach(sample -> System.out.println("   e.g. " + sample));
        }

        String figures() {
            return tally.requests.sum() + " requests, " + tally.crossHits.sum() + " cross-instance session hits, "
                    + tally.crossFlashTrips.sum() + "/" + tally.flashTrips.sum()
                    + " flash round trips across instances/all, " + tally.failovers.sum() + " failovers, "
                    + tally.closed.sum() + " closed by a stopping instance, " + tally.errors.sum() + " errors, " + tally.lost.sum()
                    + " lost sessions, " + tally.mismatches.sum() + " g mismatches, " + stops.size()
                    + " graceful stops";
        }
    }

    /** Prints the table, writes it to summary.md too, and gives the exit status. */
    private int summary() throws IOException {
        List<String> out = new ArrayList<>();
        out.add("| scenario | requests | cross-instance session hits | flash round trips, across instances / all"
                + " | failovers | closed by a stopping instance (retried: answered) | errors | lost sessions"
                + " | g mismatches (client / server) | graceful stops, started = torn down | result |");
        out.add("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        List<String> notes = new ArrayList<>();
        boolean failed = false;
        rows.sort(Comparator.comparing(row -> row.scenario));
        for (Row row : rows) {
            if (row.skipped != null) {
                out.add("| " + row.scenario + " | | | | | | | | | | " + row.skipped + " |");
                continue;
            }
            Tally t = row.tally;
            long serverMismatches = row.stops.stream().mapToLong(stop -> Math.max(stop.mismatches(), 0)).sum();
            long clean = row.stops.stream().filter(StopLine::clean).count();
            String lost = t.lost.sum() + (row.lostExpected ? " (expected; " + t.lostUsers.size() + " users)" : "");
            String result = row.failures.isEmpty() ? "pass" : "FAIL: " + String.join("; ", row.failures);
            failed |= !row.failures.isEmpty();
            out.add("| " + row.scenario + " | " + t.requests.sum() + " | " + t.crossHits.sum() + " | "
                    + t.crossFlashTrips.sum() + " / " + t.flashTrips.sum() + " | " + t.failovers.sum() + " | "
                    + t.closed.sum() + " (" + t.closedRetried.sum() + ") | " + t.errors.sum() + " | " + lost + " | "
                    + t.mismatches.sum() + " / " + serverMismatches + " | " + clean + " of " + row.stops.size()
                    + " | " + result + " |");
            row.notes.forEach(note -> notes.add("- " + row.scenario.substring(0, row.scenario.indexOf('.'))
                    + ": " + note));
        }
        out.add("");
        out.addAll(notes);
        out.add("");
        out.add(String.format("Wall time of the driver: %d s. Settings: USERS=%d REQUESTS=%d LOAD_USERS=%d"
                        + " LOAD_SECONDS=%d JAVA_OPTS='%s'%s; JDK %s, %d cores.",
                Duration.between(began, Instant.now()).toSeconds(), settings.users(), settings.requests(),
                settings.loadUsers(), settings.loadSeconds(), String.join(" ", settings.javaOpts()),
                settings.only().isEmpty() ? "" : " ONLY=" + settings.only(), Runtime.version(),
                Runtime.getRuntime().availableProcessors()));
        System.out.println("\n== summary (also " + settings.out().resolve("summary.md") + ")\n");
        out.forEach(System.out::println);
        Files.write(settings.out().resolve("summary.md"), out);
        return failed ? 1 : 0;
    }

    /** The settings: environment variables documented in scale-out.sh, and the script's arguments. */
    record Settings(Path jar, Path out, int redisPort, int users, int requests, int loadUsers, int loadSeconds,
            int basePort, List<String> javaOpts, String only, int maxSeconds) {

        static Settings from(String[] args) {
            if (args.length < 2 || args.length > 3) {
                throw new IllegalArgumentException("usage: java scripts/ScaleOut.java JAR OUT_DIR [REDIS_PORT]");
            }
            String only = env("ONLY", "");
            if (!List.of("", "cookie", "redis", "rolling").contains(only)) {
                throw new IllegalArgumentException("ONLY must be cookie, redis or rolling, not '" + only + "'");
            }
            String javaOpts = env("JAVA_OPTS", "-Xms128m -Xmx256m -XX:TieredStopAtLevel=1");
            return new Settings(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(),
                    args.length == 3 ? Integer.parseInt(args[2]) : 0, number("USERS", 50), number("REQUESTS", 20),
                    number("LOAD_USERS", 32), number("LOAD_SECONDS", 5), number("BASE_PORT", 18110),
                    Arrays.stream(javaOpts.trim().split("\\s+")).filter(opt -> !opt.isEmpty()).toList(), only,
                    number("MAX_SECONDS", 600));
        }

        Path pidFile() {
            return out.resolve("pids");
        }

        private static String env(String name, String otherwise) {
            String value = System.getenv(name);
            return value == null ? otherwise : value.trim();
        }

        private static int number(String name, int otherwise) {
            String value = env(name, "");
            return value.isEmpty() ? otherwise : Integer.parseInt(value);
        }
    }
}
