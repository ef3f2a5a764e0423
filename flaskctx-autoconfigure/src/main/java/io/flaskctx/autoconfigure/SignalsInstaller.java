package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.signals.AppContextPoppedEvent;
import io.flaskctx.signals.AppContextPushedEvent;
import io.flaskctx.signals.AppContextTearingDownEvent;
import io.flaskctx.signals.GotRequestExceptionEvent;
import io.flaskctx.signals.MessageFlashedEvent;
import io.flaskctx.signals.RequestFinishedEvent;
import io.flaskctx.signals.RequestStartedEvent;
import io.flaskctx.signals.RequestTearingDownEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Once the application context is refreshed (every listener is known by then), looks at which Flask signals have
 * listeners and installs a {@link SpringSignals} on each app, or nothing when none has any.
 */
final class SignalsInstaller implements ApplicationListener<ContextRefreshedEvent> {

    private static final List<Class<?>> SIGNALS = List.of(AppContextPushedEvent.class,
            AppContextTearingDownEvent.class, AppContextPoppedEvent.class, RequestStartedEvent.class,
            RequestFinishedEvent.class, RequestTearingDownEvent.class, GotRequestExceptionEvent.class,
            MessageFlashedEvent.class);

    private final ObjectProvider<FlaskApp> apps;

    SignalsInstaller(ObjectProvider<FlaskApp> apps) {
        this.apps = apps;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        Set<Class<?>> wanted = wanted(event.getApplicationContext());
        SpringSignals signals = wanted.isEmpty() ? null : new SpringSignals(event.getApplicationContext(), wanted);
        apps.orderedStream().forEach(app -> app.setSignalReceiver(signals));
    }

    private static Set<Class<?>> wanted(ApplicationContext context) {
        Set<Class<?>> wanted = new HashSet<>();
        if (!(context instanceof AbstractApplicationContext application)) {
            wanted.addAll(SIGNALS); // cannot tell: publish them all
            return wanted;
        }
        // @EventListener methods are registered on the context itself; ApplicationListener beans are beans
        Set<ApplicationListener<?>> listeners = new java.util.LinkedHashSet<>(application.getApplicationListeners());
        for (Object bean : application.getBeansOfType(ApplicationListener.class, false, false).values()) {
            listeners.add((ApplicationListener<?>) bean);
        }
        for (ApplicationListener<?> listener : listeners) {
            for (Class<?> signal : SIGNALS) {
                if (supports(listener, signal)) {
                    wanted.add(signal);
                }
            }
        }
        return wanted;
    }

    private static boolean supports(ApplicationListener<?> listener, Class<?> signal) {
        if (listener instanceof GenericApplicationListener generic) {
            return generic.supportsEventType(ResolvableType.forClass(signal));
        }
        if (listener instanceof SmartApplicationListener smart) {
            @SuppressWarnings("unchecked")
            Class<? extends org.springframework.context.ApplicationEvent> type =
                    (Class<? extends org.springframework.context.ApplicationEvent>) signal;
            return smart.supportsEventType(type);
        }
        ResolvableType declared = ResolvableType.forClass(listener.getClass()).as(ApplicationListener.class)
                .getGeneric();
        return declared == ResolvableType.NONE || declared.isAssignableFrom(signal);
    }
}
