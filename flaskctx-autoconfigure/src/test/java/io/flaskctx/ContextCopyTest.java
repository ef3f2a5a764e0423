package io.flaskctx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.local.Gc;
import io.flaskctx.propagation.CopyContextTaskDecorator;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Copies share g and tear down once, after the owner and every copy are done (a deliberate difference from
 * Flask's copy_current_request_context, which gives the copy a fresh g and tears down once per copy).
 */
class ContextCopyTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void clean() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        assertThat(CleanThread.wasLeftWithContexts()).isFalse();
    }

    private FlaskApp app() {
        FlaskApp app = new FlaskApp("copied");
        app.setCountingContexts(true);
        app.teardownRequest(error -> log.add("teardown_request(" + error + ") g.v=" + Flask.g().get("v")
                + " on " + Thread.currentThread().getName()));
        app.teardownAppContext(error -> log.add("teardown_appcontext(" + error + ") g.v=" + Flask.g().get("v")));
        return app;
    }

    @Test
    void aCopiedTaskSeesTheSameAppRequestAndGAndItsWritesAreShared() throws Exception {
        FlaskApp app = app();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/copied");
        try (var ctx = app.requestContext(request).push()) {
            Flask.g().set("v", "from request");
            String seen = pool.submit(Flask.copyCurrentRequestContext().wrapCallable(() -> {
                String s = Flask.currentApp().name() + " " + Flask.request().getRequestURI() + " " + Flask.g().get("v");
                Flask.g().set("written", "by task");
                return s;
            })).get(5, TimeUnit.SECONDS);
            assertThat(seen).isEqualTo("copied /copied from request");
            assertThat(Flask.g().get("written")).isEqualTo("by task");
        }
        assertThat(log).hasSize(2);
    }

    @Test
    void teardownWaitsForACopyThatFinishesAfterTheOwnerAndRunsOnceWithTheSameG() throws Exception {
        FlaskApp app = app();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> done;
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            Flask.g().set("v", "request");
            Runnable task = Flask.copyCurrentRequestContext().wrap(() -> {
                await(release);
                Flask.g().set("v", "task");
            });
            done = CompletableFuture.runAsync(task, pool);
        }
        assertThat(log).as("the owner ended, the copy still runs: no teardown yet").isEmpty();
        assertThat(ContextStats.copiesPending()).isPositive();
        release.countDown();
        done.get(5, TimeUnit.SECONDS);
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("teardown_request(null) g.v=task on pool-");
        assertThat(log.get(1)).isEqualTo("teardown_appcontext(null) g.v=task");
    }

    /** An app whose teardown hook and app-context signals write to {@code events}. */
    private static FlaskApp signalled(List<String> events) {
        FlaskApp app = new FlaskApp("signalled");
        app.teardownAppContext(error -> events.add("teardown_appcontext"));
        app.setSignalReceiver(new SignalReceiver() {
            @Override
            public void appcontextPushed(FlaskApp app) {
                events.add("appcontext_pushed");
            }

            @Override
            public void appcontextTearingDown(FlaskApp app, Throwable error) {
                events.add("appcontext_tearing_down");
            }

            @Override
            public void appcontextPopped(FlaskApp app) {
                events.add("appcontext_popped" + (Flask.hasAppContext() ? " (still current!)" : ""));
            }
        });
        return app;
    }

    @Test
    void appcontextPoppedComesLastOnceFromTheCopyThatTearsDown() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        FlaskApp app = signalled(events);
        Runnable task;
        try (var ctx = app.appContext().push()) {
            task = Flask.copyCurrentAppContext().wrap(() -> events.add("copy runs"));
        }
        assertThat(events).containsExactly("appcontext_pushed");
        Thread worker = new Thread(task);
        worker.start();
        worker.join();
        assertThat(events).containsExactly("appcontext_pushed", "copy runs", "teardown_appcontext",
                "appcontext_tearing_down", "appcontext_popped");
    }

    @Test
    void anAbandonedCopyThatTearsDownSendsAppcontextPoppedLast() {
        List<String> events = new CopyOnWriteArrayList<>();
        FlaskApp app = signalled(events);
        ContextCopy unused;
        try (var ctx = app.appContext().push()) {
            unused = Flask.copyCurrentAppContext();
        }
        unused.close();
        assertThat(events).containsExactly("appcontext_pushed", "teardown_appcontext", "appcontext_tearing_down",
                "appcontext_popped");
    }

    @Test
    void aContextPushedTwiceSendsAppcontextPoppedOnEachPopAsFlaskDoes() {
        List<String> events = new CopyOnWriteArrayList<>();
        AppContext ctx = signalled(events).appContext();
        ctx.push();
        ctx.push();
        ctx.pop();
        ctx.pop();
        // as in Flask, the context is still current after its inner pop
        assertThat(events).containsExactly("appcontext_pushed", "appcontext_pushed",
                "appcontext_popped (still current!)", "teardown_appcontext", "appcontext_tearing_down",
                "appcontext_popped");
    }

    @Test
    void aCopyThatFinishesFirstLeavesTeardownToTheOwner() throws Exception {
        FlaskApp app = app();
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            pool.submit(Flask.copyCurrentRequestContext().wrap(() -> Flask.g().set("v", "task"))).get();
            assertThat(log).isEmpty();
        }
        assertThat(log).containsExactly("teardown_request(null) g.v=task on main", "teardown_appcontext(null) g.v=task");
    }

    @Test
    void theOwnersErrorReachesTheTeardownEvenWhenACopyRunsItLater() throws Exception {
        FlaskApp app = app();
        CountDownLatch release = new CountDownLatch(1);
        AppContext ctx = app.appContext().push();
        Future<?> done = pool.submit(Flask.copyCurrentAppContext().wrap(() -> await(release)));
        ctx.pop(new IllegalStateException("owner failed"));
        release.countDown();
        done.get(5, TimeUnit.SECONDS);
        assertThat(log).containsExactly("teardown_appcontext(java.lang.IllegalStateException: owner failed) g.v=null");
    }

    @Test
    void callerRunsLeavesTheCallersContextsExactlyAsTheyWere() throws Exception {
        FlaskApp app = app();
        ThreadPoolExecutor saturated = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                new ThreadPoolExecutor.CallerRunsPolicy());
        CountDownLatch block = new CountDownLatch(1);
        saturated.execute(() -> await(block));
        saturated.execute(() -> { });
        AtomicReference<String> ranOn = new AtomicReference<>();
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            Flask.g().set("v", "caller");
            int depth = Globals.APP.depth();
            saturated.execute(Flask.copyCurrentRequestContext().wrap(() -> {
                ranOn.set(Thread.currentThread().getName() + " depth " + Globals.APP.depth());
                Flask.g().set("v", "caller-runs");
            }));
            assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName() + " depth " + (depth + 1));
            assertThat(Globals.APP.depth()).isEqualTo(depth);
            assertThat(Flask.request()).isSameAs(ctx.request());
            assertThat(log).isEmpty();
        } finally {
            block.countDown();
            saturated.shutdown();
        }
        assertThat(log).hasSize(2);
    }

    @Test
    void aWorkerKeepsItsOwnContextsUnderneathACopy() throws Exception {
        FlaskApp app = app();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            AppContext workerContext = worker.submit(() -> new FlaskApp("worker").appContext().push()).get();
            try (var ctx = app.appContext().push()) {
                String seen = CompletableFuture.supplyAsync(Flask.copyCurrentAppContext()
                        .wrapSupplier(() -> Flask.currentApp().name()), worker).get();
                assertThat(seen).isEqualTo("copied");
            }
            assertThat(worker.submit(() -> Globals.APP.top()).get()).as("restored, not cleared")
                    .isSameAs(workerContext);
            worker.submit(() -> workerContext.pop()).get();
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void aContextPushedAgainAfterItsEndCountsTheOwnersCopiesAfresh() {
        FlaskApp app = app();
        AppContext ctx = app.appContext();
        ctx.push();
        Runnable first = Flask.copyCurrentAppContext().wrap(() -> { });
        ctx.pop();
        assertThat(log).as("the owner's copy still holds the teardown").isEmpty();
        first.run();
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=null");
        ctx.push();
        Runnable second = Flask.copyCurrentAppContext().wrap(() -> { });
        second.run();
        ctx.pop();
        assertThat(log).as("the second life's copy ran before its end: the end tears down").hasSize(2);
        ctx.push();
        ctx.pop();
        assertThat(log).as("a third life without copies tears down at its end").hasSize(3);
    }

    @Test
    void aCopyTakenOnTheOwnersThreadAfterItsEndIsCountedWithTheOthers() {
        // A task run on the owner's own thread after the owner's end copies the contexts again: the owner no longer
        // has them, so that share is not the owner's to count, and the teardown waits for it.
        FlaskApp app = app();
        List<Runnable> later = new ArrayList<>();
        Runnable first;
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            first = Flask.copyCurrentRequestContext().wrap(() -> later.add(Flask.copyCurrentRequestContext()
                    .wrap(() -> Flask.g().set("v", "second"))));
        }
        first.run();
        assertThat(later).hasSize(1);
        assertThat(log).as("the copy taken inside the first still holds the teardown").isEmpty();
        later.get(0).run();
        assertThat(log).hasSize(2);
        assertThat(log.get(1)).isEqualTo("teardown_appcontext(null) g.v=second");
    }

    @Test
    void aTaskRejectedByAWrappedExecutorReleasesItsShareAtOnce() {
        FlaskApp app = app();
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        long pending = ContextStats.copiesPending();
        try (var ctx = app.appContext().push()) {
            var executor = Flask.copyCurrentAppContext().wrap(stopped);
            assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
            assertThat(ContextStats.copiesPending()).isEqualTo(pending);
        }
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=null");
    }

    @Test
    void copiesCountAsPendingOnlyForAnAppThatCountsAndAreCountedOutWhateverTheSwitchDoesMeanwhile() {
        FlaskApp quiet = new FlaskApp("quiet");
        long pending = ContextStats.copiesPending();
        try (var ctx = quiet.appContext().push()) {
            ContextCopy first = Flask.copyCurrentAppContext();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending);
            // counting turned on after the context's first copy: its later copies are not counted either
            quiet.setCountingContexts(true);
            Runnable task = Flask.copyCurrentAppContext().wrap(() -> { });
            assertThat(ContextStats.copiesPending()).isEqualTo(pending);
            task.run();
            first.close();
        }
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);

        FlaskApp counting = new FlaskApp("counting");
        counting.setCountingContexts(true);
        try (var ctx = counting.appContext().push()) {
            Runnable task = Flask.copyCurrentAppContext().wrap(() -> { });
            ContextCopy unused = Flask.copyCurrentAppContext();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending + 2);
            // counting turned off before they end: they are still counted out
            counting.setCountingContexts(false);
            task.run();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending + 1);
            unused.close();
        }
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void closingAnUnusedHandleReleasesItsShare() {
        FlaskApp app = app();
        long pending = ContextStats.copiesPending();
        try (var ctx = app.appContext().push()) {
            ContextCopy unused = Flask.copyCurrentAppContext();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending + 1);
            unused.close();
            unused.close();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending);
        }
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=null");
    }

    @Test
    void anAbandonedTaskReleasesItsShareWhenCollected() {
        abandonedTaskReleasesItsShareWhenCollected(() -> Flask.copyCurrentAppContext().wrap(() -> { }));
    }

    /** {@code wrap} copies the current app context into a task, which is then dropped without running. */
    private void abandonedTaskReleasesItsShareWhenCollected(Supplier<Runnable> wrap) {
        FlaskApp app = app();
        WeakReference<Runnable> abandoned;
        try (var ctx = app.appContext().push()) {
            Flask.g().set("v", "kept");
            abandoned = new WeakReference<>(wrap.get());
        }
        assertThat(log).as("the abandoned task still holds a share").isEmpty();
        assertThat(Gc.collects(abandoned)).isTrue();
        for (int i = 0; i < 100 && log.isEmpty(); i++) {
            System.gc();
            sleep(20);
        }
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=kept");
    }

    @Test
    void aTaskKeepsItsShareWhenItsHandleIsCollectedBeforeItRuns() {
        // The handle is garbage right after wrap(); its share now belongs to the task, which must still run.
        FlaskApp app = app();
        Runnable task;
        AppContext ctx = app.appContext().push();
        task = Flask.copyCurrentAppContext().wrap(() -> log.add("task ran with " + Flask.currentApp().name()));
        ctx.pop();
        for (int i = 0; i < 20; i++) {
            System.gc();
            sleep(10);
        }
        assertThat(log).as("the task still holds its share: no teardown yet").isEmpty();
        task.run();
        assertThat(log).containsExactly("task ran with copied", "teardown_appcontext(null) g.v=null");
    }

    @Test
    void aCopiedTaskRunsOnce() throws Exception {
        FlaskApp app = app();
        try (var ctx = app.appContext().push()) {
            Runnable task = Flask.copyCurrentAppContext().wrap(() -> { });
            task.run();
            assertThatIllegalStateException().isThrownBy(task::run).withMessageContaining("a copied task runs once");
        }
    }

    @Test
    void aCopyOfACopyKeepsTheOriginalAliveAndTearsDownOnce() throws Exception {
        FlaskApp app = app();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> inner = new CompletableFuture<>();
        try (var ctx = app.appContext().push()) {
            pool.submit(Flask.copyCurrentAppContext().wrap(() -> {
                Runnable nested = Flask.copyCurrentAppContext().wrap(() -> {
                    await(release);
                    Flask.g().set("v", "nested");
                });
                CompletableFuture.runAsync(nested, pool).whenComplete((v, e) -> inner.complete(null));
            })).get();
        }
        assertThat(log).isEmpty();
        release.countDown();
        inner.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && log.isEmpty(); i++) {
            sleep(10);
        }
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=nested");
    }

    @Test
    void aRequestHandedOffIsLeftToItsCopyByTheDecoratorUntilTheCopyIsEnteredOrClosed() throws Exception {
        FlaskApp app = app();
        CopyContextTaskDecorator decorator = new CopyContextTaskDecorator();
        Runnable task = () -> log.add("task: request " + (Flask.hasRequestContext() ? Flask.request().getRequestURI()
                : "none"));
        assertThat(ContextCopy.isHandedOff()).isFalse();
        assertThatThrownBy(ContextCopy::handOffCurrentRequest).isInstanceOf(OutsideContextException.class);
        try (var appOnly = app.appContext().push()) {
            assertThat(ContextCopy.isHandedOff()).as("an app context alone").isFalse();
            assertThatThrownBy(ContextCopy::handOffCurrentRequest).isInstanceOf(OutsideContextException.class);
        }
        log.clear();
        long pending = ContextStats.copiesPending();
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/handed")).push()) {
            assertThat(ContextCopy.isHandedOff()).isFalse();
            ContextCopy handedOff = ContextCopy.handOffCurrentRequest();
            assertThat(ContextCopy.isHandedOff()).isTrue();
            assertThat(ContextStats.copiesPending()).isEqualTo(pending + 1);
            assertThat(decorator.decorate(task)).as("left to the copy handed off").isSameAs(task);
            Runnable explicit = ContextCopy.wrapCurrent(task);
            assertThat(explicit).as("a copy asked for by name is still made").isNotSameAs(task);
            pool.submit(explicit).get(5, TimeUnit.SECONDS);
            pool.submit(() -> {
                try (var scope = handedOff.enter()) {
                    log.add("handed off: request " + Flask.request().getRequestURI() + ", handed off "
                            + ContextCopy.isHandedOff());
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(ContextCopy.isHandedOff()).as("entered: the hand-off is over").isFalse();
            Runnable decorated = decorator.decorate(task);
            assertThat(decorated).isNotSameAs(task);
            pool.submit(decorated).get(5, TimeUnit.SECONDS);

            ContextCopy unused = ContextCopy.handOffCurrentRequest();
            assertThat(ContextCopy.isHandedOff()).isTrue();
            unused.close();
            assertThat(ContextCopy.isHandedOff()).as("closed unused: the hand-off is over").isFalse();
            assertThat(log).containsExactly("task: request /handed", "handed off: request /handed, handed off false",
                    "task: request /handed");
        }
        assertThat(log).hasSize(5).last().asString().startsWith("teardown_appcontext(null)");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void onlyTheThreadThatHandedTheRequestOffLeavesItsWorkToTheCopy() throws Exception {
        // A copy of the request already running elsewhere (an @Async task) submits work of its own while the
        // request's thread has a copy handed off: that work is not what the copy handed off carries, so it is copied.
        FlaskApp app = app();
        CopyContextTaskDecorator decorator = new CopyContextTaskDecorator();
        Runnable task = () -> log.add("task: request " + (Flask.hasRequestContext() ? Flask.request().getRequestURI()
                : "none"));
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/elsewhere")).push()) {
            ContextCopy running = Flask.copyCurrentRequestContext();
            ContextCopy handedOff = ContextCopy.handOffCurrentRequest();
            List<Object> seen = pool.submit(() -> {
                try (var scope = running.enter()) {
                    Runnable decorated = decorator.decorate(task);
                    boolean copied = decorated != task;
                    decorated.run();
                    return List.<Object>of(ContextCopy.isHandedOff(), copied);
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(seen).as("on the copy's thread: not handed off, the task copied").containsExactly(false, true);
            assertThat(ContextCopy.isHandedOff()).as("on the request's thread").isTrue();
            assertThat(decorator.decorate(task)).isSameAs(task);
            handedOff.close();
            assertThat(log).containsExactly("task: request /elsewhere");
        }
    }

    @Test
    void aCopyHandedOffThenAbandonedIsReleasedWhenCollectedAndTheRequestTearsDown() {
        // The request records the copy handed off; that record must not keep the copy reachable, or the collector
        // could never find it abandoned and the request would never tear down.
        FlaskApp app = app();
        WeakReference<ContextCopy> abandoned;
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/abandoned")).push()) {
            Flask.g().set("v", "kept");
            abandoned = new WeakReference<>(ContextCopy.handOffCurrentRequest());
            assertThat(ContextCopy.isHandedOff()).isTrue();
        }
        assertThat(log).as("the copy handed off still holds a share").isEmpty();
        assertThat(Gc.collects(abandoned)).isTrue();
        for (int i = 0; i < 100 && log.size() < 2; i++) {
            System.gc();
            sleep(20);
        }
        assertThat(log).hasSize(2).last().isEqualTo("teardown_appcontext(null) g.v=kept");
    }

    @Test
    void wrapCurrentLeavesATaskAloneWhereNoContextIsPushed() {
        Runnable task = () -> { };
        assertThat(ContextCopy.wrapCurrent(task)).isSameAs(task);
        assertThatThrownBy(() -> ContextCopy.wrapCurrent(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void wrapCurrentCarriesTheRequestAndItsAppContextWhereARequestIsPushed() throws Exception {
        FlaskApp app = app();
        FlaskApp other = new FlaskApp("nested");
        other.setCountingContexts(true);
        List<String> seen = new CopyOnWriteArrayList<>();
        Runnable withRequest;
        Runnable underOtherApp;
        long pending = ContextStats.copiesPending();
        try (var ctx = app.requestContext(new MockHttpServletRequest("GET", "/wrapped")).push()) {
            Flask.g().set("v", "request");
            withRequest = ContextCopy.wrapCurrent(() -> {
                seen.add(Flask.currentApp().name() + " " + Flask.request().getRequestURI() + " " + Flask.g().get("v"));
                Flask.g().set("v", "task");
            });
            try (var nested = other.appContext().push()) {
                // Taken under another app's context, as Flask.copyCurrentRequestContext() would be.
                underOtherApp = ContextCopy.wrapCurrent(() -> seen.add(Flask.currentApp().name() + " "
                        + Flask.request().getRequestURI() + " " + Flask.g().get("v")));
            }
            assertThat(ContextStats.copiesPending()).isEqualTo(pending + 2);
            pool.submit(withRequest).get(5, TimeUnit.SECONDS);
            assertThat(Flask.g().get("v")).as("the task wrote the request's g").isEqualTo("task");
        }
        // No copy holds the request's app context any more; the second copy holds the request.
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=task");
        pool.submit(underOtherApp).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && log.size() < 3; i++) {
            sleep(10);
        }
        // Pushed where the top app context is not its app's, a request context pushes an app context of its own
        // app, as Flask's RequestContext.push does: the request's app, with a g of its own.
        assertThat(seen).containsExactly("copied /wrapped request", "copied /wrapped null");
        assertThat(log).hasSize(3).element(1).asString().startsWith("teardown_request(null) g.v=null on pool-");
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    @Test
    void wrapCurrentCarriesTheAppContextAloneOutsideARequestAndRunsOnce() {
        FlaskApp app = app();
        Runnable task;
        try (var ctx = app.appContext().push()) {
            Flask.g().set("v", "app");
            task = ContextCopy.wrapCurrent(() -> log.add("task: has request " + Flask.hasRequestContext() + ", g.v="
                    + Flask.g().get("v")));
        }
        assertThat(log).as("the task holds the teardown").isEmpty();
        task.run();
        assertThat(log).containsExactly("task: has request false, g.v=app", "teardown_appcontext(null) g.v=app");
        assertThatIllegalStateException().isThrownBy(task::run).withMessageContaining("a copied task runs once");
        assertThat(Flask.hasAppContext()).isFalse();
    }

    @Test
    void wrapCurrentInsideACopyKeepsTheOriginalAliveUntilItsTaskRuns() throws Exception {
        FlaskApp app = app();
        AtomicReference<Runnable> nested = new AtomicReference<>();
        try (var ctx = app.appContext().push()) {
            pool.submit(Flask.copyCurrentAppContext().wrap(() -> nested.set(ContextCopy.wrapCurrent(
                    () -> Flask.g().set("v", "nested"))))).get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 20; i++) {
            sleep(5);
        }
        assertThat(log).as("the nested task holds the teardown").isEmpty();
        nested.get().run();
        assertThat(log).containsExactly("teardown_appcontext(null) g.v=nested");
    }

    @Test
    void anAbandonedWrapCurrentTaskReleasesItsShareWhenCollected() {
        abandonedTaskReleasesItsShareWhenCollected(() -> ContextCopy.wrapCurrent(() -> { }));
    }

    @Test
    void copyingOutsideAContextFailsWithFlasksMessage() {
        assertThatThrownBy(Flask::copyCurrentRequestContext).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("'copy_current_request_context' can only be used when a request context is"
                        + " active");
        assertThatThrownBy(Flask::copyCurrentAppContext).isInstanceOf(OutsideContextException.class)
                .hasMessageStartingWith("'copy_current_app_context' can only be used");
    }

    @Test
    void manyCopiesOfOneRequestShareGConcurrentlyAndTearDownOnce() throws Exception {
        FlaskApp app = app();
        ExecutorService many = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> tasks = new java.util.ArrayList<>();
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                tasks.add(CompletableFuture.runAsync(Flask.copyCurrentRequestContext()
                        .wrap(() -> Flask.g().set("task-" + n, n)), many));
            }
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        many.shutdown();
        for (int i = 0; i < 100 && log.size() < 2; i++) {
            sleep(10);
        }
        assertThat(log).hasSize(2);
        assertThat(ContextStats.copiesPending()).isZero();
    }

    @Test
    void aCopiedTaskIsNeverRefusedBecauseAGcRanAsItStarted() throws Exception {
        // Once a wrapper starts running, the JIT may treat it as unreachable; its Cleaner must still not release
        // the share before the task has entered it. Bounded in time, so it proves nothing when it passes, but
        // the old wrappers failed here now and then.
        FlaskApp app = new FlaskApp("stressed");
        app.setCountingContexts(true);
        CopyContextTaskDecorator decorator = new CopyContextTaskDecorator();
        AtomicBoolean stop = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!stop.get()) {
                System.gc();
            }
        }, "gc-loop");
        long attempts = 0;
        long refusals = 0;
        AtomicLong ran = new AtomicLong();
        Runnable task = ran::incrementAndGet;
        Callable<Long> callable = ran::incrementAndGet;
        Supplier<Long> supplier = ran::incrementAndGet;
        long pending = ContextStats.copiesPending();
        try (var ctx = app.requestContext(new MockHttpServletRequest()).push()) {
            ContextCopy copy = Flask.copyCurrentRequestContext();
            Executor direct = copy.wrap((Executor) Runnable::run);
            collector.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++, attempts++) {
                    try {
                        switch (i % 5) {
                            case 0 -> decorator.decorate(task).run();
                            case 1 -> copy.wrap(task).run();
                            case 2 -> copy.wrapCallable(callable).call();
                            case 3 -> copy.wrapSupplier(supplier).get();
                            default -> direct.execute(task);
                        }
                    } catch (IllegalStateException refused) {
                        refusals++;
                    }
                }
            }
        } finally {
            stop.set(true);
            collector.join();
        }
        assertThat(refusals).as("tasks refused out of %d", attempts).isZero();
        assertThat(ran.get()).isEqualTo(attempts);
        assertThat(ContextStats.copiesPending()).isEqualTo(pending);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
