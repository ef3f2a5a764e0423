package io.flaskctx.bench;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.propagation.CopyContextTaskDecorator;
import io.flaskctx.propagation.FlaskContextAccessor;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Row 6, carrying the current context to a task on an executor: wrap the task, hand it to the executor, and
 * (for {@code executor=pool}) wait for it. Each op wraps and runs one task that does nothing, so only the
 * carrying is measured. Baseline: {@link #springDecoratorThreadLocal}, Spring's
 * {@code ContextPropagatingTaskDecorator} carrying one plain {@code ThreadLocal}.
 *
 * <p>What each row carries, captured on the benchmark thread inside a pushed request context:
 * <ul>
 *   <li>{@link #plain}: nothing (the task as it is), the executor's own cost;
 *   <li>{@link #rawThreadLocalCopy}: one {@code ThreadLocal} value, by a hand-written wrapper (read, set,
 *       restore): the floor of carrying anything;
 *   <li>{@link #springDecoratorThreadLocal}: the same {@code ThreadLocal} through Spring's decorator and
 *       Micrometer's {@code ContextSnapshot}, with a registry that holds only that thread local (so it does not
 *       also pick up flaskctx's accessor, which the global registry loads through {@code ServiceLoader});
 *   <li>{@link #flaskctxCopyWrap} ({@code Flask.copyCurrentRequestContext().wrap(task)}) and
 *       {@link #flaskctxTaskDecorator} ({@code CopyContextTaskDecorator}): the request context and its app
 *       context, with the same {@code g}, pushed as copies around the task, and a share that keeps the
 *       originals' teardown waiting until the task has finished (the request's copies count together, and only
 *       those left unspent at the request's end are watched for abandonment; the first copy of the iteration's
 *       request makes that count, which the later ones share: {@code RequestCycleBenchmark}'s row with one copy
 *       measures a request that copies once, its set-up included);
 *   <li>{@link #springDecoratorFlaskctx}: the same flaskctx contexts through Spring's decorator, with a
 *       registry that holds only flaskctx's {@code FlaskContextAccessor}: like for like with the flaskctx rows.
 * </ul>
 *
 * <p>{@code executor=caller} runs the task on the calling thread ({@code Runnable::run}): the cost of wrapping,
 * entering and leaving alone. {@code executor=pool} submits it to a single-thread {@code ExecutorService} and
 * waits for the result: a real hand-off, whose own cost ({@link #plain}) is what the wrapping adds to.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class CopyBenchmark {

    private static final ThreadLocal<User> USER = new ThreadLocal<>();

    @Param({"caller", "pool"})
    public String executor;

    private final FlaskApp app = new FlaskApp("bench");
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/whoami");
    private final Runnable task = () -> {
    };

    private final TaskDecorator flaskctxDecorator = new CopyContextTaskDecorator();
    private final TaskDecorator springThreadLocal = new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder()
            .contextRegistry(new ContextRegistry().registerThreadLocalAccessor("bench.user", USER)).build());
    private final TaskDecorator springFlaskctx = new ContextPropagatingTaskDecorator(ContextSnapshotFactory.builder()
            .contextRegistry(new ContextRegistry().registerThreadLocalAccessor(new FlaskContextAccessor())).build());

    private ExecutorService pool;
    private RequestContext requestContext;

    @Setup(Level.Trial)
    public void startExecutor() throws Exception {
        if (executor.equals("pool")) {
            pool = Executors.newSingleThreadExecutor();
        }
        bind();
        try {
            checkCarried();
        } finally {
            unbind();
        }
    }

    @TearDown(Level.Trial)
    public void stopExecutor() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** The request context and the thread local, bound on the thread that runs the iteration. */
    @Setup(Level.Iteration)
    public void bind() {
        requestContext = app.requestContext(request).push();
        Flask.g().set("user", User.ALICE);
        USER.set(User.ALICE);
    }

    @TearDown(Level.Iteration)
    public void unbind() {
        USER.remove();
        requestContext.pop();
    }

    /** Every wrapped task must see what it is said to carry, on the executor's thread. */
    private void checkCarried() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        Runnable readG = () -> seen.set(Flask.hasAppContext() ? Flask.g().get("user") : null);
        Runnable readThreadLocal = () -> seen.set(USER.get());
        String[] names = {"flaskctxCopyWrap", "flaskctxTaskDecorator", "springDecoratorFlaskctx",
                "rawThreadLocalCopy", "springDecoratorThreadLocal"};
        Runnable[] wrapped = {Flask.copyCurrentRequestContext().wrap(readG), flaskctxDecorator.decorate(readG),
                springFlaskctx.decorate(readG), rawCopy(readThreadLocal), springThreadLocal.decorate(readThreadLocal)};
        for (int i = 0; i < wrapped.length; i++) {
            seen.set(null);
            run(wrapped[i]);
            if (seen.get() != User.ALICE) {
                throw new IllegalStateException(names[i] + " did not carry the value to the task: saw " + seen.get());
            }
        }
    }

    private void run(Runnable wrapped) throws InterruptedException, ExecutionException {
        if (pool == null) {
            wrapped.run();
        } else {
            Future<?> done = pool.submit(wrapped);
            done.get();
        }
    }

    /** A hand-written copy of one thread local: what any propagation must at least do. */
    private static Runnable rawCopy(Runnable task) {
        User captured = USER.get();
        return () -> {
            User previous = USER.get();
            USER.set(captured);
            try {
                task.run();
            } finally {
                if (previous == null) {
                    USER.remove();
                } else {
                    USER.set(previous);
                }
            }
        };
    }

    @Benchmark
    public void plain() throws Exception {
        run(task);
    }

    @Benchmark
    public void rawThreadLocalCopy() throws Exception {
        run(rawCopy(task));
    }

    @Benchmark
    public void springDecoratorThreadLocal() throws Exception {
        run(springThreadLocal.decorate(task));
    }

    @Benchmark
    public void flaskctxCopyWrap() throws Exception {
        run(Flask.copyCurrentRequestContext().wrap(task));
    }

    @Benchmark
    public void flaskctxTaskDecorator() throws Exception {
        run(flaskctxDecorator.decorate(task));
    }

    @Benchmark
    public void springDecoratorFlaskctx() throws Exception {
        run(springFlaskctx.decorate(task));
    }
}
