package io.flaskctx.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.ContextCopy;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.HookKind;
import io.flaskctx.HookObserver;
import io.flaskctx.RequestContext;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Each hook invocation of a hand-built app as a {@code flaskctx.hook} observation, asserted with Micrometer's
 * test registry: name, key values, outcome, error, count, and nesting under the observation current at the
 * time (a request's); and app contexts pushed by hand as {@code flaskctx.appcontext} observations.
 */
class HookObservationTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders");
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private FlaskApp observedApp() {
        FlaskApp app = new FlaskApp("shop");
        app.setHookObserver(new ObservationHookObserver(registry, null));
        app.addContextListener(new AppContextObserver(registry, null));
        return app;
    }

    /** What the web layer does for one request, in Flask's order. */
    private static void cycle(FlaskApp app, MockHttpServletRequest request, MockHttpServletResponse response) {
        // run() passes the block's exception to the teardown hooks and keeps theirs as suppressed
        app.requestContext(request).run(() -> {
            if (app.preprocessRequest(request) == null) {
                Flask.afterThisRequest(r -> r.setHeader("X-Once", "yes"));
            }
            app.processResponse(response);
        });
    }

    static final class Hooks {
        static Object loadUser(jakarta.servlet.http.HttpServletRequest request) {
            Flask.g().set("user", "alice");
            return null;
        }

        static void addHeader(jakarta.servlet.http.HttpServletResponse response) {
            response.setHeader("X-App", "shop");
        }
    }

    @Test
    void everyKindOfHookIsOneObservationWithItsAppKindHookAndOutcome() {
        FlaskApp app = observedApp();
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));
        app.afterRequest(namedAfter("AppHeaders.addHeader", Hooks::addHeader));
        app.teardownRequest(namedTeardown("Db.rollback"));
        app.teardownAppContext(namedTeardown("Db.close"));

        cycle(app, request, response);

        assertThat(response.getHeader("X-Once")).isEqualTo("yes");
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.hook", 5)
                .hasNumberOfObservationsEqualTo(5) // a request's app context is not a flaskctx.appcontext
                .forAllObservationsWithNameEqualTo("flaskctx.hook", o -> o.doesNotHaveError().hasLowCardinalityKeyValue("app", "shop")
                        .hasLowCardinalityKeyValue("outcome", "success"));
        assertThat(registry).hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "before_request")
                        .hasLowCardinalityKeyValue("hook", "UserLoader.loadUser")
                        .hasContextualNameEqualTo("before_request UserLoader.loadUser"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "after_request")
                        .hasLowCardinalityKeyValue("hook", "AppHeaders.addHeader"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "after_this_request")
                        .hasLowCardinalityKeyValue("hook", "lambda in " + HookObservationTest.class.getName()))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "teardown_request")
                        .hasLowCardinalityKeyValue("hook", "Db.rollback"))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "teardown_appcontext")
                        .hasLowCardinalityKeyValue("hook", "Db.close"));
    }

    @Test
    void aBlueprintsHooksAreObservedLikeTheAppsInFlasksOrder() {
        FlaskApp app = observedApp();
        app.registerBlueprint("admin", null);
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));
        app.beforeRequest("admin", named("Admin.requireLogin", r -> null));
        app.afterRequest("admin", namedAfter("Admin.noCache", r -> r.setHeader("Cache-Control", "no-store")));
        app.teardownRequest("admin", namedTeardown("Admin.audit"));
        List<String> order = new ArrayList<>();
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public void onStart(Observation.Context context) {
                order.add(((FlaskHookContext) context).getHook());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof FlaskHookContext;
            }
        });

        RequestContext ctx = app.requestContext(request);
        ctx.setBlueprint("admin");
        ctx.run(() -> {
            app.preprocessRequest(request);
            app.processResponse(response);
        });

        assertThat(order).containsExactly("UserLoader.loadUser", "Admin.requireLogin", "Admin.noCache",
                "Admin.audit");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.hook", 4)
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("kind", "teardown_request")
                        .hasLowCardinalityKeyValue("hook", "Admin.audit"));
    }

    @Test
    void aBeforeHookThatAnswersIsAShortCircuitAndTheHooksAfterItDoNotRun() {
        FlaskApp app = observedApp();
        app.beforeRequest(named("Auth.deny", r -> "denied"));
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));

        cycle(app, request, response);

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.hook", 1)
                .hasSingleObservationThat().hasLowCardinalityKeyValue("hook", "Auth.deny")
                .hasLowCardinalityKeyValue("outcome", "short_circuit");
    }

    @Test
    void aHookThatThrowsIsRecordedAsTheObservationsErrorAndStillPropagates() {
        FlaskApp app = observedApp();
        IllegalStateException boom = new IllegalStateException("boom");
        app.afterRequest(namedAfter("AppHeaders.fail", r -> {
            throw boom;
        }));
        IllegalStateException teardownBoom = new IllegalStateException("teardown boom");
        app.teardownRequest(new NamedTeardown("Db.rollback", e -> {
            throw teardownBoom;
        }));

        assertThatThrownBy(() -> cycle(app, request, response)).isSameAs(boom);

        // after_this_request (first, succeeds), the failing after hook, the failing teardown
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.hook", 3)
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("hook", "AppHeaders.fail")
                        .hasLowCardinalityKeyValue("outcome", "error").hasError(boom))
                .hasAnObservation(o -> o.hasLowCardinalityKeyValue("hook", "Db.rollback")
                        .hasLowCardinalityKeyValue("outcome", "error").hasError(teardownBoom));
        assertThat(boom.getSuppressed()).containsExactly(teardownBoom);
    }

    @Test
    void hookObservationsAreChildrenOfTheObservationCurrentWhenTheRequestRuns() {
        FlaskApp app = observedApp();
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));
        List<Observation> seenInside = new ArrayList<>();
        app.afterRequest(namedAfter("Probe.current", r -> seenInside.add(registry.getCurrentObservation())));

        Observation server = Observation.start("http.server.requests", registry);
        try (Observation.Scope scope = server.openScope()) {
            cycle(app, request, response);
        } finally {
            server.stop();
        }

        assertThat(registry).forAllObservationsWithNameEqualTo("flaskctx.hook",
                o -> o.hasParentObservationEqualTo(server));
        // while a hook runs, its own observation is the current one
        assertThat(seenInside).hasSize(1);
        assertThat(seenInside.get(0).getContextView().getLowCardinalityKeyValue("hook").getValue())
                .isEqualTo("Probe.current");
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void anAppContextPushedByHandIsObservedFromPushToTeardownWithTheHooksInside() throws Exception {
        FlaskApp app = observedApp();
        app.teardownAppContext(namedTeardown("Db.close"));

        try (var ctx = app.appContext().push()) {
            assertThat(registry.getCurrentObservation()).isNotNull();
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.appcontext", 1)
                    .hasObservationWithNameEqualTo("flaskctx.appcontext").that().hasBeenStarted().isNotStopped();
        }

        assertThat(registry.getCurrentObservation()).isNull();
        assertThat(registry).hasObservationWithNameEqualTo("flaskctx.appcontext").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("app", "shop").hasLowCardinalityKeyValue("origin", "manual")
                .hasContextualNameEqualTo("app_context shop").doesNotHaveParentObservation();
        assertThat(registry).hasObservationWithNameEqualTo("flaskctx.hook").that()
                .hasParentObservationContextMatching(parent -> "flaskctx.appcontext".equals(parent.getName()));
    }

    @Test
    void aHandPushedContextCopiedToAnotherThreadIsCurrentThereAndStopsAfterTheLastCopy() throws Exception {
        FlaskApp app = observedApp();
        IllegalStateException failed = new IllegalStateException("job failed");
        ContextCopy copy;
        Observation[] onPool = new Observation[2];
        var started = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var ctx = app.appContext().push();
        copy = Flask.copyCurrentAppContext();
        var done = pool.submit(copy.wrap(() -> {
            onPool[0] = registry.getCurrentObservation();
            started.countDown();
            await(release);
        }));
        started.await(5, TimeUnit.SECONDS);
        ctx.pop(failed);
        // the owner ended, the copy still runs: the observation is not stopped yet
        assertThat(registry).hasObservationWithNameEqualTo("flaskctx.appcontext").that().isNotStopped();
        release.countDown();
        done.get(5, TimeUnit.SECONDS);
        pool.submit(() -> onPool[1] = registry.getCurrentObservation()).get(5, TimeUnit.SECONDS);

        assertThat(onPool[0].getContextView().getName()).isEqualTo("flaskctx.appcontext");
        assertThat(onPool[1]).isNull(); // nothing stays current on the pooled thread
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("flaskctx.appcontext", 1)
                .hasObservationWithNameEqualTo("flaskctx.appcontext").that().hasBeenStopped().hasError(failed);
    }

    @Test
    void aRegistryWithoutHandlersGetsNoObservationAndEveryInvocationIsTheSameSharedObject() {
        ObservationRegistry noHandlers = ObservationRegistry.create();
        assertThat(noHandlers.isNoop()).isTrue();
        FlaskApp app = new FlaskApp("shop");
        app.setHookObserver(new ObservationHookObserver(noHandlers, null));
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));

        HookObserver.Invocation first = app.hookObserver().start(app, HookKind.BEFORE_REQUEST, "a");
        HookObserver.Invocation second = app.hookObserver().start(app, HookKind.TEARDOWN_REQUEST, "b");
        cycle(app, request, response);

        assertThat(first).isSameAs(second); // nothing allocated per invocation
        assertThat(noHandlers.getCurrentObservation()).isNull();
        assertThat(request.getAttributeNames().hasMoreElements()).isFalse();
    }

    @Test
    void aCustomConventionNamesAndTagsTheObservations() {
        FlaskApp app = new FlaskApp("shop");
        app.setHookObserver(new ObservationHookObserver(registry, new DefaultFlaskHookObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(FlaskHookContext context) {
                return super.getLowCardinalityKeyValues(context).and("team", "checkout");
            }

            @Override
            public String getName() {
                return "shop.hook";
            }
        }));
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));

        cycle(app, request, response);

        assertThat(registry).hasObservationWithNameEqualTo("shop.hook").that()
                .hasLowCardinalityKeyValue("team", "checkout").hasLowCardinalityKeyValue("kind", "before_request");
    }

    @Test
    void handlersSeeTheHookContextOfEachInvocation() {
        FlaskApp app = new FlaskApp("shop");
        ObservationRegistry plain = ObservationRegistry.create();
        List<String> seen = new ArrayList<>();
        plain.observationConfig().observationHandler(new ObservationHandler<FlaskHookContext>() {
            @Override
            public void onStop(FlaskHookContext context) {
                seen.add(context.getKind().flaskName() + " " + context.getHook() + " " + context.getOutcome());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof FlaskHookContext;
            }
        });
        app.setHookObserver(new ObservationHookObserver(plain, null));
        app.beforeRequest(named("UserLoader.loadUser", Hooks::loadUser));

        cycle(app, request, response);

        assertThat(seen).containsExactly("before_request UserLoader.loadUser success",
                "after_this_request lambda in " + HookObservationTest.class.getName() + " success");
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Hooks named as the starter's bean-method hooks are (Class.method), without Spring.

    private static java.util.function.Function<jakarta.servlet.http.HttpServletRequest, Object> named(String name,
            java.util.function.Function<jakarta.servlet.http.HttpServletRequest, Object> hook) {
        return new java.util.function.Function<>() {
            @Override
            public Object apply(jakarta.servlet.http.HttpServletRequest r) {
                return hook.apply(r);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse> namedAfter(String name,
            java.util.function.Consumer<jakarta.servlet.http.HttpServletResponse> hook) {
        return new java.util.function.Consumer<>() {
            @Override
            public void accept(jakarta.servlet.http.HttpServletResponse r) {
                hook.accept(r);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static NamedTeardown namedTeardown(String name) {
        return new NamedTeardown(name, e -> {
        });
    }

    private record NamedTeardown(String name, java.util.function.Consumer<Throwable> hook)
            implements java.util.function.Consumer<Throwable> {
        @Override
        public void accept(Throwable error) {
            hook.accept(error);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
