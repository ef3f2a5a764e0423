package io.flaskctx.sample;

import io.flaskctx.signals.AppContextPoppedEvent;
import io.flaskctx.signals.FlaskSignal;
import io.flaskctx.signals.GotRequestExceptionEvent;
import io.flaskctx.signals.RequestFinishedEvent;
import io.flaskctx.signals.RequestStartedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Flask's signals as Spring events. Listening is what switches them on: signals nobody listens to are never
 * published. Logged at DEBUG ({@code logging.level.io.flaskctx.sample.SignalLog=DEBUG} to see them).
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.hooks.enabled", matchIfMissing = true)
public class SignalLog {

    private static final Logger log = LoggerFactory.getLogger(SignalLog.class);

    @EventListener({RequestStartedEvent.class, RequestFinishedEvent.class, GotRequestExceptionEvent.class,
            AppContextPoppedEvent.class})
    public void signal(FlaskSignal signal) {
        if (log.isDebugEnabled()) {
            log.debug("signal {} from '{}'", signal.getClass().getSimpleName(), signal.app().name());
        }
    }
}
