package io.flaskctx.web;

import io.flaskctx.ContextCopy;
import io.flaskctx.Flask;
import io.flaskctx.local.LocalStack;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/**
 * Runs a handler's {@code Callable} (or {@code WebAsyncTask}) with the request's contexts on the async
 * executor's thread: Flask's {@code copy_current_request_context} applied by Spring MVC's async support. The
 * request's teardown waits for the callable, also when the request times out first. The copy is handed off
 * ({@link ContextCopy#handOffCurrentRequest()}): it alone carries the contexts to the task Spring MVC submits, so
 * that the request's teardown never waits for that task to return. {@link RequestContextInterceptor} registers it
 * for each request that has contexts.
 */
final class CallableContextInterceptor implements CallableProcessingInterceptor {

    // Holds the copy the handler's Callable will run in, from the start of the async handling until the callable
    // starts on the executor (or the request ends without it). While it waits there the request is handed off
    // (ContextCopy.handOffCurrentRequest), which is what task decorators and context snapshots look at.
    private static final String COPY = CallableContextInterceptor.class.getName() + ".COPY";

    // The copies entered on an executor thread; kept by the thread, not by the request, because a callable
    // that outlives a timed-out request must still find and pop them when the request object is long recycled.
    private static final LocalStack<Object> entered = new LocalStack<>();
    private static final Object NOTHING = new Object();

    CallableContextInterceptor() {
    }

    @Override
    public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
        if (Flask.hasRequestContext()) {
            request.setAttribute(COPY, ContextCopy.handOffCurrentRequest(), RequestAttributes.SCOPE_REQUEST);
        }
    }

    @Override
    public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
        Object scope = NOTHING;
        if (request.getAttribute(COPY, RequestAttributes.SCOPE_REQUEST) instanceof ContextCopy copy) {
            request.removeAttribute(COPY, RequestAttributes.SCOPE_REQUEST);
            scope = copy.enter();
        }
        entered.push(scope);
    }

    @Override
    public <T> void postProcess(NativeWebRequest request, Callable<T> task, @Nullable Object concurrentResult) {
        if (entered.pop() instanceof ContextCopy.Scope scope) {
            scope.close();
        }
    }

    @Override
    public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
        // The callable never started (timed out in the queue): its share must not hold teardown.
        if (request.getAttribute(COPY, RequestAttributes.SCOPE_REQUEST) instanceof ContextCopy copy) {
            request.removeAttribute(COPY, RequestAttributes.SCOPE_REQUEST);
            copy.close();
        }
    }
}
