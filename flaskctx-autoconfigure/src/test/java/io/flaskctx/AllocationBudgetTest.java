package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The bytes the hot paths may allocate, held in every test run: what one operation allocates, read from the JVM's
 * own per-thread counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), the figure JMH's
 * {@code -prof gc} reports in {@code BENCHMARKS.md} (row 4). The budgets are issue 21's lines (a new context's push
 * and pop 48 B, with the first write of {@code g} 150 B, a copy 200 B) and nothing at all where nothing is allocated
 * today (reads of {@code g}, a built context's push and pop). Bytes, unlike time, do not depend on the machine's
 * load, so a unit test can hold them: a field added to a context, or an object added to a push, a read or a copy,
 * fails here with the figure and the budget it crossed, instead of waiting for the next benchmark run.
 *
 * <p>Each operation runs in rounds of {@value #OPS} until a round stays within its budget (at most
 * {@value #ROUNDS} rounds): the first rounds run in the interpreter, which may allocate what the compiled code does
 * not. What the compiled code allocates is the same in every round, so one round within the budget shows it is.
 */
class AllocationBudgetTest {

    private static final int OPS = 20_000;
    private static final int ROUNDS = 60;
    private static final G.Key<String> USER = G.Key.of("user", String.class);

    private final FlaskApp app = new FlaskApp("budget");
    private final com.sun.management.@Nullable ThreadMXBean threads = threadBean();
    private final Runnable task = () -> {
    };

    private static com.sun.management.@Nullable ThreadMXBean threadBean() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() ? bean : null;
    }

    @BeforeEach
    void countAllocations() {
        Assumptions.assumeTrue(threads != null, "this JVM does not count the bytes each thread allocates"
                + " (com.sun.management.ThreadMXBean): the budgets are checked on HotSpot JVMs");
        // The budgets are the sizes of objects with compressed references, as the benchmarks measure them (a heap
        // of 32 GB or more turns them off, and every object grows).
        Assumptions.assumeTrue(compressedReferences(), "the JVM runs without compressed references"
                + " (-XX:-UseCompressedOops, or a heap of 32 GB or more): its objects are larger than the budgets assume");
        if (!threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    private static boolean compressedReferences() {
        var diagnostics = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return diagnostics == null || Boolean.parseBoolean(diagnostics.getVMOption("UseCompressedOops").getValue());
    }

    @AfterEach
    void nothingLeftPushed() {
        assertThat(Flask.hasAppContext()).as("a context left pushed by the test").isFalse();
    }

    @Test
    void aNewAppContextsPushAndPopAllocateTheContextAlone() {
        assertWithin("a new app context's push + pop", 48, () -> app.appContext().push().pop());
    }

    @Test
    void aBuiltContextsPushAndPopAllocateNothing() {
        AppContext built = app.appContext();
        assertWithin("a built app context's push + pop", 0, () -> {
            built.push();
            built.pop();
        });
    }

    @Test
    void theFirstWriteOfGAllocatesGAndItsArray() {
        assertWithin("a new app context's push + first g.set + pop", 150, () -> {
            AppContext context = app.appContext().push();
            context.g().set("user", "alice");
            context.pop();
        });
    }

    @Test
    void readsOfGAllocateNothing() {
        G proxy = G.proxy();
        try (var ctx = app.appContext().push()) {
            proxy.set("user", "alice");
            assertWithin("g.get(\"user\") through the injected G", 0, () -> blackhole(proxy.get("user")));
            assertWithin("g.get(G.Key) through the injected G", 0, () -> blackhole(proxy.get(USER)));
            assertWithin("Flask.g().get(\"user\")", 0, () -> blackhole(Flask.g().get("user")));
        }
    }

    @Test
    void aCopyRunOnTheCallersThreadAllocatesItsFourObjects() {
        try (var request = app.requestContext(new MockHttpServletRequest("GET", "/budget")).push()) {
            Flask.g().set("user", "alice");
            assertWithin("Flask.copyCurrentRequestContext().wrap(task), run on the caller's thread", 200,
                    () -> Flask.copyCurrentRequestContext().wrap(task).run());
            assertWithin("ContextCopy.wrapCurrent(task) (the task decorator's copy), run on the caller's thread", 200,
                    () -> ContextCopy.wrapCurrent(task).run());
        }
    }

    private static volatile Object sink;

    private static void blackhole(Object value) {
        sink = value;
    }

    /** Runs {@code op} in rounds until one allocates at most {@code budget} bytes an operation, or fails. */
    private void assertWithin(String what, long budget, Runnable op) {
        long thread = Thread.currentThread().getId();
        double least = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < OPS; i++) {
                op.run();
            }
            long after = threads.getThreadAllocatedBytes(thread);
            // the counter's own reads allocate nothing on the thread; a round's bytes are the operations'
            least = Math.min(least, (double) (after - before) / OPS);
            if (Math.round(least) <= budget) {
                return;
            }
        }
        assertThat(Math.round(least)).as("%s allocates %.1f B an operation (the least of %d rounds of %d), over"
                + " its budget of %d B: an object or a field was added on that path (see the class comment)",
                what, least, ROUNDS, OPS, budget).isLessThanOrEqualTo(budget);
    }
}
