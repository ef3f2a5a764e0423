package io.flaskctx.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.FlaskApp;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every flaskctx meter says what it counts (its base unit), as the README's meter table shows. */
class MeterUnitsTest {

    @Test
    void everyMeterHasItsBaseUnit() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FlaskctxMetrics(() -> List.of(new FlaskApp("units"))).bindTo(registry);
        new SessionMetrics(new SecureCookieSessionInterface(Clock.systemUTC())).bindTo(registry);

        assertThat(unitsOf(registry, "flaskctx.contexts.active")).containsOnly("contexts");
        assertThat(unitsOf(registry, "flaskctx.contexts.pushed")).containsOnly("contexts");
        assertThat(unitsOf(registry, "flaskctx.contexts.leaked")).containsOnly("contexts");
        assertThat(unitsOf(registry, "flaskctx.stack.depth")).containsOnly("contexts");
        assertThat(unitsOf(registry, "flaskctx.teardown.errors")).containsOnly("errors");
        assertThat(unitsOf(registry, "flaskctx.copies.pending")).containsOnly("copies");
        assertThat(unitsOf(registry, "flaskctx.session.rejected")).containsOnly("sessions");
        // and no flaskctx meter was left without one
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getBaseUnit())
                .as(meter.getId().getName()).isNotBlank());
    }

    private static List<String> unitsOf(SimpleMeterRegistry registry, String name) {
        List<String> units = registry.find(name).meters().stream().map(Meter::getId).map(Meter.Id::getBaseUnit)
                .toList();
        assertThat(units).as(name).isNotEmpty();
        return units;
    }
}
