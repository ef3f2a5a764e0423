package io.flaskctx.propagation;

import io.flaskctx.Flask;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs every task of an executor with the contexts of the code that submitted it: Flask's
 * {@code copy_current_request_context} (or {@code copy_current_app_context} outside a request) applied to each
 * task. The starter registers it as a bean, which Spring Boot applies to its auto-configured task executor, so
 * {@code @Async} methods see the caller's {@code g}, app and request. Composes with other {@code TaskDecorator}
 * beans (Boot chains them all). Tasks submitted with no context run as they are.
 */
public final class CopyContextTaskDecorator implements TaskDecorator, Ordered {

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
        if (Flask.hasRequestContext()) {
            return Flask.copyCurrentRequestContext().wrap(runnable);
        }
        if (Flask.hasAppContext()) {
            return Flask.copyCurrentAppContext().wrap(runnable);
        }
        return runnable;
    }
}
