package io.flaskctx.bench;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.observation.ObservationHookObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Rows 3 and 4, the whole context work of one request: push a request context (which pushes its implicit app
 * context), run the before hooks, run the after hooks, pop (teardown, then the app context). The app has one
 * before and one after hook that do nothing, so the hooks' dispatch is measured and not their work.
 * Baseline: {@link #flaskctxRequestCycle}.
 *
 * <p>The same cycle with metrics on ({@link FlaskApp#setCountingContexts(boolean)}, what binding flaskctx's
 * Micrometer meters does; the meters themselves only read the counters when scraped), and with push-site capture
 * on (the debug setting that records a stack trace per push). {@link #springRequestContextFilterCycle()} is
 * what Spring's {@code RequestContextFilter} already does around every request of a Spring MVC app, for scale.
 *
 * <p>And the same cycle with the hooks observed ({@code flaskctx.hook}, one observation per hook invocation):
 * with the observer installed on a no-op {@code ObservationRegistry} (what it costs when nobody observes; the
 * starter does not even install it then, nor with {@code management.observations.enable.flaskctx=false}, which
 * is {@link #flaskctxRequestCycle}), and on a registry with one handler that does nothing (the price of the
 * observations themselves, before any handler's work).
 *
 * <p>Every setting belongs to the app, so each of these benchmarks runs its own app, set up in its own state: a
 * fork (JMH forks per benchmark method) builds only the app it measures. The forks get a fixed 1 GiB heap, touched
 * up front, so that the young generation, and with it how often each cycle's bytes are collected, is the same in
 * every fork and on every run (see "Why the request-cycle rows swung" in BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class RequestCycleBenchmark {

    /**
     * The request and response every row uses: a fixed GET with the headers a browser sends, built once per fork.
     * Every benchmark method takes the {@link Exchange} and only the one app state it measures, so a fork builds
     * nothing it does not run (no observation registry, no capturing app beside the plain cycle).
     */
    @State(Scope.Thread)
    public static class Exchange {
        MockHttpServletRequest request;
        MockHttpServletResponse response;

        @Setup(Level.Trial)
        public void setUp() {
            request = new MockHttpServletRequest("GET", "/whoami");
            request.addHeader("Host", "localhost:8080");
            request.addHeader("Accept", "text/html,application/xhtml+xml");
            request.addHeader("Accept-Language", "en-GB,en;q=0.9");
            request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)");
            response = new MockHttpServletResponse();
        }
    }

    /** An app with one before and one after hook that do nothing. */
    @State(Scope.Thread)
    public static class Plain {
        FlaskApp app;

        @Setup(Level.Trial)
        public void setUp() {
            app = app();
        }
    }

    /** The same app with metrics on. */
    @State(Scope.Thread)
    public static class Counted {
        FlaskApp app;

        @Setup(Level.Trial)
        public void setUp() {
            app = app();
            app.setCountingContexts(true);
        }
    }

    /** The same app with push-site capture on. */
    @State(Scope.Thread)
    public static class Capturing {
        FlaskApp app;

        @Setup(Level.Trial)
        public void setUp() {
            app = app();
            app.setCapturePushSites(true);
        }
    }

    /** The same app with its hooks observed on a no-op registry. */
    @State(Scope.Thread)
    public static class NoopObserved {
        FlaskApp app;

        @Setup(Level.Trial)
        public void setUp() {
            app = app();
            app.setHookObserver(new ObservationHookObserver(ObservationRegistry.NOOP, null));
        }
    }

    /** The same app with its hooks observed on a registry with one handler that does nothing. */
    @State(Scope.Thread)
    public static class Observed {
        FlaskApp app;

        @Setup(Level.Trial)
        public void setUp() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DoNothing());
            app = app();
            app.setHookObserver(new ObservationHookObserver(registry, null));
        }
    }

    private static FlaskApp app() {
        FlaskApp app = new FlaskApp("bench");
        app.beforeRequest(req -> null);
        app.afterRequest(res -> {
        });
        return app;
    }

    private static Object cycle(FlaskApp app, Exchange exchange) {
        RequestContext context = app.requestContext(exchange.request).push();
        Object shortCircuit = app.preprocessRequest(exchange.request);
        app.processResponse(exchange.response);
        context.pop();
        return shortCircuit;
    }

    @Benchmark
    public Object flaskctxRequestCycle(Plain state, Exchange exchange) {
        return cycle(state.app, exchange);
    }

    /**
     * The same cycle handing one task off: a copy of the request's contexts wrapped and run on the calling thread
     * between the hooks. What a request that copies pays in all, its first copy's set-up included (the request's
     * and its app context's lifetimes, and the count of their unspent copies), which {@code CopyBenchmark}'s rows,
     * copying many times from one pushed request, share out. The copy has run by the request's end, so nothing is
     * left for the collector to watch.
     */
    @Benchmark
    public Object flaskctxRequestCycleWithCopy(Plain state, Exchange exchange) {
        RequestContext context = state.app.requestContext(exchange.request).push();
        Object shortCircuit = state.app.preprocessRequest(exchange.request);
        Flask.copyCurrentRequestContext().wrap(NOTHING).run();
        state.app.processResponse(exchange.response);
        context.pop();
        return shortCircuit;
    }

    private static final Runnable NOTHING = () -> {
    };

    @Benchmark
    public Object flaskctxRequestCycleWithMetrics(Counted state, Exchange exchange) {
        return cycle(state.app, exchange);
    }

    @Benchmark
    public Object flaskctxRequestCycleCapturingPushSites(Capturing state, Exchange exchange) {
        return cycle(state.app, exchange);
    }

    @Benchmark
    public Object flaskctxRequestCycleObservedNoopRegistry(NoopObserved state, Exchange exchange) {
        return cycle(state.app, exchange);
    }

    @Benchmark
    public Object flaskctxRequestCycleObserved(Observed state, Exchange exchange) {
        return cycle(state.app, exchange);
    }

    /** A handler that takes every observation and does nothing with it. */
    static final class DoNothing implements ObservationHandler<Observation.Context> {
        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    /** {@code RequestContextFilter.doFilterInternal} without the chain: locale and attributes, set and reset. */
    @Benchmark
    public void springRequestContextFilterCycle(Exchange exchange) {
        ServletRequestAttributes attributes = new ServletRequestAttributes(exchange.request, exchange.response);
        LocaleContextHolder.setLocale(exchange.request.getLocale(), false);
        RequestContextHolder.setRequestAttributes(attributes, false);
        LocaleContextHolder.resetLocaleContext();
        RequestContextHolder.resetRequestAttributes();
        attributes.requestCompleted();
    }
}
