package io.flaskctx.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts several threads at once on the same body and collects the problems they report. */
public final class Race {

    /** One thread's work; it adds what it saw go wrong to {@code problems}. */
    public interface Body {
        void run(int thread, List<String> problems) throws Exception;
    }

    private Race() {
    }

    public static List<String> run(int threads, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    body.run(id, problems);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }
}
