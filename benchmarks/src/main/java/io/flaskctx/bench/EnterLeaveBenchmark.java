package io.flaskctx.bench;

import io.flaskctx.AppContext;
import io.flaskctx.FlaskApp;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Rows 2 and 4, entering and leaving a context on a thread that holds none, the way every request starts and
 * ends. Baseline: {@link #rawThreadLocalSetRemove()}.
 *
 * <p>Two pairings are fair: creating a context and entering it ({@link #flaskctxAppContextPushPop()}, what
 * {@code app.appContext().push()} does, beside OTel's {@code with(..).makeCurrent()} and gRPC's
 * {@code withValue(..).attach()}), and entering one made beforehand ({@code ...Reused}, beside
 * {@code makeCurrent()} and {@code attach()} of a prebuilt context). Run with {@code -prof gc} for bytes per
 * operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class EnterLeaveBenchmark {

    private static final ThreadLocal<Object> RAW = new ThreadLocal<>();
    private static final ContextKey<User> OTEL_KEY = ContextKey.named("user");
    private static final io.grpc.Context.Key<User> GRPC_KEY = io.grpc.Context.key("user");

    private final FlaskApp app = new FlaskApp("bench");
    private final AppContext reused = app.appContext();
    private final Context otelContext = Context.root().with(OTEL_KEY, User.ALICE);
    private final io.grpc.Context grpcContext = io.grpc.Context.ROOT.withValue(GRPC_KEY, User.ALICE);
    private final ServletRequestAttributes springAttributes =
            new ServletRequestAttributes(new MockHttpServletRequest("GET", "/whoami"));

    @Benchmark
    public void rawThreadLocalSetRemove() {
        RAW.set(User.ALICE);
        RAW.remove();
    }

    /** {@code app.appContext().push()} then {@code pop()}: a new context (and its {@code g}) every time. */
    @Benchmark
    public void flaskctxAppContextPushPop() {
        AppContext context = app.appContext().push();
        context.pop();
    }

    /** The same as a try-with-resources block, the idiom the README teaches. */
    @Benchmark
    @SuppressWarnings("try")
    public void flaskctxAppContextTryWithResources() {
        try (AppContext context = app.appContext().push()) {
            // nothing: only entering and leaving is measured
        }
    }

    /**
     * A request that writes {@code g} once: push a new context, {@code g.set("user", ...)}, pop. Beside
     * {@link #flaskctxAppContextPushPop()} it shows what the first write costs ({@code g}'s map is created
     * then, so a request that never writes {@code g} pays none of it).
     */
    @Benchmark
    public void flaskctxAppContextPushSetPop() {
        AppContext context = app.appContext().push();
        context.g().set("user", User.ALICE);
        context.pop();
    }

    /** One context, made once, pushed and popped again and again: the stack work alone. */
    @Benchmark
    public void flaskctxAppContextReusedPushPop() {
        reused.push();
        reused.pop();
    }

    @Benchmark
    @SuppressWarnings("try")
    public void otelWithMakeCurrentClose() {
        try (Scope scope = Context.current().with(OTEL_KEY, User.ALICE).makeCurrent()) {
            // nothing
        }
    }

    @Benchmark
    @SuppressWarnings("try")
    public void otelReusedMakeCurrentClose() {
        try (Scope scope = otelContext.makeCurrent()) {
            // nothing
        }
    }

    @Benchmark
    public void grpcWithValueAttachDetach() {
        io.grpc.Context context = io.grpc.Context.current().withValue(GRPC_KEY, User.ALICE);
        io.grpc.Context previous = context.attach();
        context.detach(previous);
    }

    @Benchmark
    public void grpcReusedAttachDetach() {
        io.grpc.Context previous = grpcContext.attach();
        grpcContext.detach(previous);
    }

    /** What Spring's {@code RequestContextFilter} does to the holder around each request (attributes prebuilt). */
    @Benchmark
    public void springRequestContextHolderSetReset() {
        RequestContextHolder.setRequestAttributes(springAttributes);
        RequestContextHolder.resetRequestAttributes();
    }
}
