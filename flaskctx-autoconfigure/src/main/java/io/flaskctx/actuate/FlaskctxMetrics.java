package io.flaskctx.actuate;

import io.flaskctx.ContextOrigin;
import io.flaskctx.ContextStats;
import io.flaskctx.ContextType;
import io.flaskctx.FlaskApp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.Supplier;

/**
 * Micrometer meters over {@link ContextStats} (Flask has no counterpart). Binding turns counting on for the
 * apps it measures ({@link FlaskApp#setCountingContexts(boolean)}); the meters read the striped counters when a
 * registry asks, so a push pays only for the counters. Every meter but {@code flaskctx.copies.pending} carries
 * an {@code app} tag, the app's name.
 *
 * <ul>
 * <li>{@code flaskctx.contexts.active} (gauge, {@code type=app|request}): contexts pushed right now.</li>
 * <li>{@code flaskctx.stack.depth} (distribution summary, {@code type}): the depth after each push;
 * {@code max} is the deepest nesting seen.</li>
 * <li>{@code flaskctx.contexts.pushed} (counter, {@code type}, {@code origin=request|scheduled|runner|method|manual}:
 * where an app context came from; a request context's origin is {@code request}).</li>
 * <li>{@code flaskctx.contexts.leaked} (counter, {@code type}): contexts found left pushed, and popped.</li>
 * <li>{@code flaskctx.teardown.errors} (counter): teardown hooks that threw.</li>
 * <li>{@code flaskctx.copies.pending} (gauge): copies for other threads not yet finished or released.</li>
 * </ul>
 */
public final class FlaskctxMetrics implements MeterBinder {

    // Base units, as Micrometer's own binders give them (jvm.threads.live in "threads"); Micrometer's BaseUnits has
    // none for these, so they are named after what is counted. Prometheus appends them to the name.
    static final String CONTEXTS = "contexts";
    static final String ERRORS = "errors";
    static final String COPIES = "copies";

    private final Supplier<List<FlaskApp>> apps;

    /**
     * Creates the meter binder.
     *
     * @param apps the apps to measure; each meter carries an {@code app} tag with the app's name
     */
    public FlaskctxMetrics(Supplier<List<FlaskApp>> apps) {
        this.apps = apps;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (FlaskApp app : apps.get()) {
            app.setCountingContexts(true);
            for (ContextType type : ContextType.values()) {
                Tags tags = Tags.of("app", app.name(), "type", type.tag());
                Gauge.builder("flaskctx.contexts.active", () -> ContextStats.active(app, type)).tags(tags)
                        .baseUnit(CONTEXTS).description("Contexts pushed right now, summed over all threads").register(registry);
                if (type == ContextType.REQUEST) {
                    FunctionCounter.builder("flaskctx.contexts.pushed", app, a -> ContextStats.pushed(a, type))
                            .tags(tags.and("origin", ContextOrigin.REQUEST.tag())).baseUnit(CONTEXTS)
                            .description("Contexts pushed").register(registry);
                } else {
                    for (ContextOrigin origin : ContextOrigin.values()) {
                        FunctionCounter.builder("flaskctx.contexts.pushed", app, a -> ContextStats.pushed(a, origin))
                                .tags(tags.and("origin", origin.tag())).baseUnit(CONTEXTS)
                                .description("Contexts pushed").register(registry);
                    }
                }
                FunctionCounter.builder("flaskctx.contexts.leaked", app, a -> ContextStats.leaked(a, type))
                        .tags(tags).baseUnit(CONTEXTS)
                        .description("Contexts found still pushed where they should not be, and popped")
                        .register(registry);
                Meter.builder("flaskctx.stack.depth", Meter.Type.DISTRIBUTION_SUMMARY, List.of(
                                new Measurement(() -> ContextStats.pushed(app, type), Statistic.COUNT),
                                new Measurement(() -> ContextStats.depthTotal(app, type), Statistic.TOTAL),
                                new Measurement(() -> ContextStats.maxDepth(app, type), Statistic.MAX)))
                        .tags(tags).baseUnit(CONTEXTS).description("Stack depth after each push").register(registry);
            }
            FunctionCounter.builder("flaskctx.teardown.errors", app, ContextStats::teardownErrors)
                    .tags(Tags.of("app", app.name())).baseUnit(ERRORS).description("Teardown hooks that threw")
                    .register(registry);
        }
        Gauge.builder("flaskctx.copies.pending", ContextStats::copiesPending).baseUnit(COPIES)
                .description("Copies of contexts taken for other threads and not yet finished; each holds a"
                        + " teardown back").register(registry);
    }
}
