package io.flaskctx.bench;

import io.flaskctx.local.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * A design decision: is {@code LocalStack}'s reusable per-thread array (slots nulled on pop, the
 * {@code ThreadLocal} entry kept) worth it over {@link RemovingLocalStack}, which removes the entry when the
 * stack empties? Each op pushes one item on an empty stack and pops it, as every request does to each of
 * flaskctx's two stacks. Baseline: {@link #rawThreadLocalSetRemove()}.
 *
 * <p>{@code otherThreadLocals} sets that many unrelated thread locals on the thread first, as a servlet
 * container's worker thread carries (Spring, logging, Tomcat): a {@code set} after a {@code remove} must find
 * a free slot in a fuller map and cleans some stale slots as it goes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class LocalStackBenchmark {

    private static final ThreadLocal<Object> RAW = new ThreadLocal<>();
    private static final LocalStack<Object> REUSING = new LocalStack<>();
    private static final RemovingLocalStack<Object> REMOVING = new RemovingLocalStack<>();

    @Param({"0", "32"})
    public int otherThreadLocals;

    private final List<ThreadLocal<Object>> others = new ArrayList<>();

    @Setup(Level.Iteration)
    public void fillThread() {
        for (int i = 0; i < otherThreadLocals; i++) {
            ThreadLocal<Object> other = new ThreadLocal<>();
            other.set(i);
            others.add(other);
        }
    }

    @TearDown(Level.Iteration)
    public void emptyThread() {
        others.forEach(ThreadLocal::remove);
        others.clear();
    }

    @Benchmark
    public void rawThreadLocalSetRemove() {
        RAW.set(User.ALICE);
        RAW.remove();
    }

    @Benchmark
    public Object localStackPushPop() {
        REUSING.push(User.ALICE);
        return REUSING.pop();
    }

    @Benchmark
    public Object removingLocalStackPushPop() {
        REMOVING.push(User.ALICE);
        return REMOVING.pop();
    }
}
