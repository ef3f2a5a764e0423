package io.flaskctx.sample;

import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Flask's teardown hooks. They run however the request ended, so they are where resources opened during it
 * (a connection kept in {@code g}, say) get closed; here they only log, to show when they run and what error
 * they were handed.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.hooks.enabled", matchIfMissing = true)
public class TeardownLog {

    private static final Logger log = LoggerFactory.getLogger(TeardownLog.class);

    /** Runs as each request context is popped; {@code error} is the exception no handler took, or null. */
    @TeardownRequest
    public void requestEnded(Throwable error, HttpServletRequest request) {
        if (error == null) {
            log.info("teardown_request {} {}", request.getMethod(), request.getRequestURI());
        } else {
            log.warn("teardown_request {} {} error={}", request.getMethod(), request.getRequestURI(), error.toString());
        }
    }

    /** Runs as each app context is popped: after every request, and after every hand-pushed context too. */
    @TeardownAppContext
    public void appContextEnded(Throwable error, FlaskApp app, G g) {
        if (error == null) {
            log.info("teardown_appcontext of '{}', g held {}", app.name(), g.names());
        } else {
            log.warn("teardown_appcontext of '{}', g held {}, error={}", app.name(), g.names(), error.toString());
        }
    }
}
