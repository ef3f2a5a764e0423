package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.SignalReceiver;
import io.flaskctx.signals.AppContextPoppedEvent;
import io.flaskctx.signals.AppContextPushedEvent;
import io.flaskctx.signals.AppContextTearingDownEvent;
import io.flaskctx.signals.GotRequestExceptionEvent;
import io.flaskctx.signals.MessageFlashedEvent;
import io.flaskctx.signals.RequestFinishedEvent;
import io.flaskctx.signals.RequestStartedEvent;
import io.flaskctx.signals.RequestTearingDownEvent;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes an app's signals as Spring events, only those some listener wants: which ones was decided once, when
 * the application context was refreshed, so a signal without listeners costs a field read.
 */
final class SpringSignals implements SignalReceiver {

    private final ApplicationEventPublisher publisher;
    private final boolean appcontextPushed;
    private final boolean appcontextTearingDown;
    private final boolean appcontextPopped;
    private final boolean requestStarted;
    private final boolean requestFinished;
    private final boolean requestTearingDown;
    private final boolean gotRequestException;
    private final boolean messageFlashed;

    SpringSignals(ApplicationEventPublisher publisher, Set<Class<?>> wanted) {
        this.publisher = publisher;
        this.appcontextPushed = wanted.contains(AppContextPushedEvent.class);
        this.appcontextTearingDown = wanted.contains(AppContextTearingDownEvent.class);
        this.appcontextPopped = wanted.contains(AppContextPoppedEvent.class);
        this.requestStarted = wanted.contains(RequestStartedEvent.class);
        this.requestFinished = wanted.contains(RequestFinishedEvent.class);
        this.requestTearingDown = wanted.contains(RequestTearingDownEvent.class);
        this.gotRequestException = wanted.contains(GotRequestExceptionEvent.class);
        this.messageFlashed = wanted.contains(MessageFlashedEvent.class);
    }

    @Override
    public void appcontextPushed(FlaskApp app) {
        if (appcontextPushed) {
            publisher.publishEvent(new AppContextPushedEvent(app));
        }
    }

    @Override
    public void appcontextTearingDown(FlaskApp app, @Nullable Throwable error) {
        if (appcontextTearingDown) {
            publisher.publishEvent(new AppContextTearingDownEvent(app, error));
        }
    }

    @Override
    public void appcontextPopped(FlaskApp app) {
        if (appcontextPopped) {
            publisher.publishEvent(new AppContextPoppedEvent(app));
        }
    }

    @Override
    public void requestStarted(FlaskApp app) {
        if (requestStarted) {
            publisher.publishEvent(new RequestStartedEvent(app));
        }
    }

    @Override
    public void requestFinished(FlaskApp app, HttpServletResponse response) {
        if (requestFinished) {
            publisher.publishEvent(new RequestFinishedEvent(app, response));
        }
    }

    @Override
    public void requestTearingDown(FlaskApp app, @Nullable Throwable error) {
        if (requestTearingDown) {
            publisher.publishEvent(new RequestTearingDownEvent(app, error));
        }
    }

    @Override
    public void gotRequestException(FlaskApp app, Throwable exception) {
        if (gotRequestException) {
            publisher.publishEvent(new GotRequestExceptionEvent(app, exception));
        }
    }

    @Override
    public void messageFlashed(FlaskApp app, String message, String category) {
        if (messageFlashed) {
            publisher.publishEvent(new MessageFlashedEvent(app, message, category));
        }
    }
}
