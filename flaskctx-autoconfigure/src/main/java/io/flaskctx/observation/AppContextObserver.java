package io.flaskctx.observation;

import io.flaskctx.AppContext;
import io.flaskctx.ContextListener;
import io.flaskctx.ContextOrigin;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Makes each app context pushed outside a request (by hand, for a scheduled run, a runner or a
 * {@code @WithAppContext} method: the Java {@code with app.app_context():}) a Micrometer {@code Observation} named
 * {@code flaskctx.appcontext}, from its push to its teardown, so offline work shows in traces. It is current
 * wherever the context is (its copies on other threads too), so the hooks and whatever else is observed inside
 * nest under it. Contexts of requests are left alone: the request's own observation covers them. Add it with
 * {@link FlaskApp#addContextListener}; the starter does where an {@code ObservationRegistry} is present.
 */
public final class AppContextObserver implements ContextListener {

    private static final DefaultAppContextObservationConvention DEFAULT = new DefaultAppContextObservationConvention();

    private final ObservationRegistry registry;
    private final @Nullable AppContextObservationConvention convention;
    // Keyed by g, which an original context shares with its copies: the observation of each context still open.
    private final Map<G, Observation> open = new ConcurrentHashMap<>();
    // The scopes this thread opened, innermost first; removed once empty, so an idle thread holds nothing.
    private final ThreadLocal<ArrayDeque<Opened>> scopes = new ThreadLocal<>();

    /**
     * Creates an {@code AppContextObserver}.
     *
     * @param registry where the observations go
     * @param convention a convention that replaces the default one, or null for
     *     {@link DefaultAppContextObservationConvention}
     */
    public AppContextObserver(ObservationRegistry registry, @Nullable AppContextObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    /** A scope opened by one push, and whether the teardown that ran inside it left its observation to stop. */
    private static final class Opened {
        final G g;
        final Observation observation;
        final Observation.Scope scope;
        boolean stopOnPop;

        Opened(G g, Observation observation, Observation.Scope scope) {
            this.g = g;
            this.observation = observation;
            this.scope = scope;
        }
    }

    @Override
    public void appContextPushed(AppContext context) {
        if (context.origin() == ContextOrigin.REQUEST || registry.isNoop()) {
            return;
        }
        G g = context.g();
        Observation observation = open.computeIfAbsent(g, key -> Observation.createNotStarted(convention, DEFAULT,
                () -> new AppContextObservationContext(context.app(), context.origin()), registry).start());
        ArrayDeque<Opened> opened = scopes.get();
        if (opened == null) {
            opened = new ArrayDeque<>(4);
            scopes.set(opened);
        }
        opened.push(new Opened(g, observation, observation.openScope()));
    }

    @Override
    public void appContextPopped(AppContext context) {
        ArrayDeque<Opened> opened = scopes.get();
        if (opened == null || context.origin() == ContextOrigin.REQUEST) {
            return;
        }
        Opened top = opened.peek();
        if (top == null || top.g != context.g()) {
            return;
        }
        opened.pop();
        if (opened.isEmpty()) {
            scopes.remove();
        }
        top.scope.close();
        if (top.stopOnPop) {
            top.observation.stop();
        }
    }

    @Override
    public void appContextTornDown(AppContext context, @Nullable Throwable error) {
        if (context.origin() == ContextOrigin.REQUEST) {
            return;
        }
        Observation observation = open.remove(context.g());
        if (observation == null) {
            return;
        }
        if (error != null) {
            observation.error(error);
        }
        // The teardown runs with the context (or a copy) current: stop once its scope is closed, at the pop.
        ArrayDeque<Opened> opened = scopes.get();
        Opened top = opened == null ? null : opened.peek();
        if (top != null && top.observation == observation) {
            top.stopOnPop = true;
        } else {
            observation.stop();
        }
    }

    @Override
    public String toString() {
        return "<AppContextObserver of " + registry + ">";
    }
}
