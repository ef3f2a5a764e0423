package io.flaskctx;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** Runs a step on a thread of its own, for the tests of what a context refuses to a thread that does not hold it. */
final class AnotherThread {

    private AnotherThread() {
    }

    /** {@return what {@code step} threw on a new thread, joined before this returns; null when it threw nothing} */
    static @Nullable Throwable thrownBy(Runnable step) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                step.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        thread.start();
        thread.join();
        return thrown.get();
    }
}
