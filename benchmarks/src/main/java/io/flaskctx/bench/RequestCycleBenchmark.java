package io.flaskctx.bench;

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
 * <p>Every setting belongs to the app, so each of these benchmarks runs its own app.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RequestCycleBenchmark {

    private FlaskApp app;
    private FlaskApp countedApp;
    private FlaskApp capturingApp;
    private FlaskApp noopObservedApp;
    private FlaskApp observedApp;
    private MockHttpServletRequest request;
    private MockHttpServletResponse response;

    @Setup(Level.Trial)
    public void setUp() {
        app = app();
        countedApp = app();
        countedApp.setCountingContexts(true);
        capturingApp = app();
        capturingApp.setCapturePushSites(true);
        noopObservedApp = app();
        noopObservedApp.setHookObserver(new ObservationHookObserver(ObservationRegistry.NOOP, null));
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DoNothing());
        observedApp = app();
        observedApp.setHookObserver(new ObservationHookObserver(registry, null));
        request = new MockHttpServletRequest("GET", "/whoami");
        response = new MockHttpServletResponse();
    }

    private static FlaskApp app() {
        FlaskApp app = new FlaskApp("bench");
        app.beforeRequest(req -> null);
        app.afterRequest(res -> {
        });
        return app;
    }

    private Object cycle(FlaskApp app) {
        RequestContext context = app.requestContext(request).push();
        Object shortCircuit = app.preprocessRequest(request);
        app.processResponse(response);
        context.pop();
        return shortCircuit;
    }

    @Benchmark
    public Object flaskctxRequestCycle() {
        return cycle(app);
    }

    @Benchmark
    public Object flaskctxRequestCycleWithMetrics() {
        return cycle(countedApp);
    }

    @Benchmark
    public Object flaskctxRequestCycleCapturingPushSites() {
        return cycle(capturingApp);
    }

    @Benchmark
    public Object flaskctxRequestCycleObservedNoopRegistry() {
        return cycle(noopObservedApp);
    }

    @Benchmark
    public Object flaskctxRequestCycleObserved() {
        return cycle(observedApp);
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
    public void springRequestContextFilterCycle() {
        ServletRequestAttributes attributes = new ServletRequestAttributes(request, response);
        LocaleContextHolder.setLocale(request.getLocale(), false);
        RequestContextHolder.setRequestAttributes(attributes, false);
        LocaleContextHolder.resetLocaleContext();
        RequestContextHolder.resetRequestAttributes();
        attributes.requestCompleted();
    }
}
