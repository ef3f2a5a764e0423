package io.flaskctx.propagation;

import io.flaskctx.ContextCopy;
import java.util.concurrent.RunnableScheduledFuture;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs every task of an executor with the contexts of the code that submitted it: Flask's
 * {@code copy_current_request_context} (or {@code copy_current_app_context} outside a request) applied to each
 * task. The starter registers it as a bean, which Spring Boot applies to its auto-configured task executor, so
 * {@code @Async} methods see the caller's {@code g}, app and request. Composes with other {@code TaskDecorator}
 * beans (Boot chains them all). Tasks submitted with no context run as they are.
 *
 * <p>Boot applies the same decorators to its task scheduler, which decorates a periodic task once and runs the
 * result on every period. A copy runs once and holds the contexts' teardown until it has, so a periodic task is
 * left as it is: it runs without the contexts of the code that scheduled it (a {@code @Scheduled} run gets an app
 * context of its own). A one-shot scheduled task is copied like any other.
 *
 * <p>A request {@linkplain ContextCopy#handOffCurrentRequest() handed off} has its contexts carried by the copy
 * handed off (Spring MVC's {@code Callable} support hands one to the task it submits): tasks submitted meanwhile
 * are left as they are.
 */
public final class CopyContextTaskDecorator implements TaskDecorator, Ordered {

    /** Creates the task decorator. */
    public CopyContextTaskDecorator() {
    }

    /**
     * First in Boot's chain of decorators, so innermost: the copies are pushed right around the task, and other
     * decorators (MDC, tracing, security) wrap around them.
     */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }

    @Override
    public Runnable decorate(Runnable runnable) {
        if (runnable instanceof RunnableScheduledFuture<?> scheduled && scheduled.isPeriodic()) {
            return runnable;
        }
        if (ContextCopy.isHandedOff()) {
            // Spring MVC submits a handler's Callable: the copy handed off carries the contexts to it, and lets go
            // of them before the async dispatch, while a copy taken here would last until the task returns
            return runnable;
        }
        return ContextCopy.wrapCurrent(runnable);
    }
}
