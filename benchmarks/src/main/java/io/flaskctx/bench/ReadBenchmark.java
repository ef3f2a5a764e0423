package io.flaskctx.bench;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.RequestContext;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Row 1, reading a per-request value: {@code g.get("user")} through the injected {@code G} proxy beside the
 * same read in every peer. Baseline: {@link #rawThreadLocalMap()}, a {@code ThreadLocal<HashMap>} read, the
 * physical floor of any per-thread lookup by name.
 *
 * <p>Every peer holds its value for the whole iteration, bound on the benchmark thread before it starts, so
 * only the read is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ReadBenchmark {

    private static final ThreadLocal<HashMap<String, Object>> RAW = new ThreadLocal<>();
    private static final ContextKey<User> OTEL_KEY = ContextKey.named("user");
    private static final io.grpc.Context.Key<User> GRPC_KEY = io.grpc.Context.key("user");
    private static final G.Key<User> USER = G.Key.of("user", User.class);

    private final FlaskApp app = new FlaskApp("bench");
    /** As injected into a singleton bean. */
    private final G g = G.proxy();
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/whoami");

    private SpringRequestScope spring;
    private RequestScopedUser requestScopedUser;

    private RequestContext requestContext;
    private Scope otelScope;
    private io.grpc.Context grpcContext;
    private io.grpc.Context grpcPrevious;

    @Setup(Level.Trial)
    public void startSpring() {
        spring = new SpringRequestScope();
        requestScopedUser = spring.proxy();
    }

    @TearDown(Level.Trial)
    public void stopSpring() {
        spring.close();
    }

    /** Binds every peer's value on the thread that runs the iteration (JMH may change threads between them). */
    @Setup(Level.Iteration)
    public void bind() {
        HashMap<String, Object> raw = new HashMap<>();
        raw.put("user", User.ALICE);
        RAW.set(raw);

        requestContext = app.requestContext(request).push();
        Flask.g().set("user", User.ALICE);

        RequestContextHolder.setRequestAttributes(spring.attributes());
        spring.attributes().setAttribute("user", User.ALICE, RequestAttributes.SCOPE_REQUEST);
        requestScopedUser.user(User.ALICE);

        otelScope = io.opentelemetry.context.Context.root().with(OTEL_KEY, User.ALICE).makeCurrent();

        grpcContext = io.grpc.Context.ROOT.withValue(GRPC_KEY, User.ALICE);
        grpcPrevious = grpcContext.attach();
    }

    @TearDown(Level.Iteration)
    public void unbind() {
        grpcContext.detach(grpcPrevious);
        otelScope.close();
        RequestContextHolder.resetRequestAttributes();
        requestContext.pop();
        RAW.remove();
    }

    @Benchmark
    public Object rawThreadLocalMap() {
        return RAW.get().get("user");
    }

    @Benchmark
    public Object flaskctxGProxy() {
        return g.get("user");
    }

    @Benchmark
    public User flaskctxGProxyTypedKey() {
        return g.get(USER);
    }

    @Benchmark
    public Object flaskctxStaticG() {
        return Flask.g().get("user");
    }

    @Benchmark
    public Object springRequestContextHolder() {
        return RequestContextHolder.currentRequestAttributes().getAttribute("user", RequestAttributes.SCOPE_REQUEST);
    }

    @Benchmark
    public User springRequestScopeProxy() {
        return requestScopedUser.user();
    }

    @Benchmark
    public User otelContextGet() {
        return io.opentelemetry.context.Context.current().get(OTEL_KEY);
    }

    @Benchmark
    public User grpcContextGet() {
        return GRPC_KEY.get();
    }
}
