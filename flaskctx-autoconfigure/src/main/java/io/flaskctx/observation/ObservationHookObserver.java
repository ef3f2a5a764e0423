package io.flaskctx.observation;

import io.flaskctx.FlaskApp;
import io.flaskctx.HookKind;
import io.flaskctx.HookObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Makes each invocation of a Flask hook a Micrometer {@code Observation} named {@code flaskctx.hook}, current
 * while the hook runs: with Boot's {@code DefaultMeterObservationHandler} a timer per hook, with tracing a span
 * that is a child of whatever observation is current (the request's {@code http.server.requests}). An exception
 * the hook throws is the observation's error. Install it with {@link FlaskApp#setHookObserver(HookObserver)}; the
 * starter does where an {@code ObservationRegistry} is present.
 *
 * <p>While the registry is no-op (no handler), an invocation costs one check and allocates nothing.
 */
public final class ObservationHookObserver implements HookObserver {

    private static final DefaultFlaskHookObservationConvention DEFAULT = new DefaultFlaskHookObservationConvention();
    private static final Invocation NOTHING = (result, error) -> {
    };
    // Hook names are computed once: hooks are registered at start-up (plus one lambda class per after_this_request
    // site); beyond this many, names are computed per call rather than held.
    private static final int MAX_NAMES = 1024;

    private final ObservationRegistry registry;
    private final @Nullable FlaskHookObservationConvention convention;
    private final ConcurrentHashMap<Object, String> names = new ConcurrentHashMap<>();

    /**
     * Creates an {@code ObservationHookObserver}.
     *
     * @param registry where the observations go
     * @param convention a convention that replaces the default one, or null for
     *     {@link DefaultFlaskHookObservationConvention}
     */
    public ObservationHookObserver(ObservationRegistry registry, @Nullable FlaskHookObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    @Override
    public Invocation start(FlaskApp app, HookKind kind, Object hook) {
        if (registry.isNoop()) {
            return NOTHING;
        }
        FlaskHookContext context = new FlaskHookContext(app, kind, name(hook));
        Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry).start();
        return new Observed(observation, observation.openScope(), context);
    }

    private String name(Object hook) {
        // A lambda's name depends only on its class; per-request lambdas (after_this_request) share one entry.
        Object key = hook.getClass().isSynthetic() ? hook.getClass() : hook;
        String name = names.get(key);
        if (name == null) {
            name = HookObserver.nameOf(hook);
            if (names.size() < MAX_NAMES) {
                names.putIfAbsent(key, name);
            }
        }
        return name;
    }

    /** One hook invocation being observed. */
    private static final class Observed implements Invocation {
        private final Observation observation;
        private final Observation.Scope scope;
        private final FlaskHookContext context;

        Observed(Observation observation, Observation.Scope scope, FlaskHookContext context) {
            this.observation = observation;
            this.scope = scope;
            this.context = context;
        }

        @Override
        public void stop(@Nullable Object result, @Nullable Throwable error) {
            scope.close();
            if (error != null) {
                context.setOutcome(FlaskHookContext.ERROR);
                observation.error(error);
            } else if (result != null) {
                context.setOutcome(FlaskHookContext.SHORT_CIRCUIT);
            }
            observation.stop();
        }
    }

    @Override
    public String toString() {
        return "<ObservationHookObserver of " + registry + ">";
    }
}
