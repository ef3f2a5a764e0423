package io.flaskctx.actuate;

import io.flaskctx.SessionInterface;
import io.flaskctx.session.BadDataException;
import io.flaskctx.session.SecureCookieSessionInterface;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code flaskctx.session.rejected} (counter, {@code reason=signature|timestamp|expired|future|payload|oversized}):
 * session cookies the cookie store refused and replaced by an empty session (Flask has no counterpart: it
 * ignores most of them silently and fails the request on the rest); and {@code reason=too-large}: session
 * cookies the store did not send because browsers would drop them (Flask sends them with a warning). A rise in {@code signature} after a
 * deploy usually means a changed {@code SECRET_KEY} without {@code SECRET_KEY_FALLBACKS}; {@code future}
 * means clocks out of step.
 */
public final class SessionMetrics implements MeterBinder {

    // One description for every tag value: some registries keep only one per name.
    private static final String DESCRIPTION = "Session cookies refused: unreadable ones received (replaced by an"
            + " empty session), and too-large ones not sent";

    private final SessionInterface store;

    /**
     * Creates the meter binder.
     *
     * @param store the store whose refusals are counted; only the cookie store refuses cookies, for any other
     *     no meter is registered
     */
    public SessionMetrics(SessionInterface store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!(store instanceof SecureCookieSessionInterface cookies)) {
            return;
        }
        for (BadDataException.Reason reason : BadDataException.Reason.values()) {
            FunctionCounter.builder("flaskctx.session.rejected", cookies, s -> s.rejected(reason))
                    .tag("reason", reason.tag())
                    .baseUnit(BaseUnits.SESSIONS)
                    .description(DESCRIPTION)
                    .register(registry);
        }
        FunctionCounter.builder("flaskctx.session.rejected", cookies, SecureCookieSessionInterface::tooLarge)
                .tag("reason", "too-large")
                .baseUnit(BaseUnits.SESSIONS)
                .description(DESCRIPTION)
                .register(registry);
    }
}
