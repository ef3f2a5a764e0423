package io.flaskctx.web;

import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Flask's request dispatch ({@code wsgi_app} and {@code full_dispatch_request}) as a Spring MVC interceptor:
 * for each request it matches, it pushes a request context (and with it the app context), runs the before
 * hooks, lets the handler run, runs the after hooks before the response is committed, and pops both contexts
 * when the request completes, running the teardown hooks with the unhandled exception or null. Popping
 * happens also when the handler or a hook throws.
 *
 * <p>Forwards and includes run inside the request's existing context; the error page the container renders
 * for an unhandled exception runs after the request's teardown, without a context. When a handler goes async
 * ({@code Callable}, {@code DeferredResult}, ...), the contexts leave the container thread and come back as
 * copies for the async dispatch; teardown runs once, when that dispatch ends.
 */
public final class RequestContextInterceptor implements AsyncHandlerInterceptor {

    private final FlaskApps apps;
    private final ShortCircuitResponse shortCircuit;
    private final boolean strict;

    /**
     * @param app the app whose contexts and hooks this interceptor runs
     * @param converters the message converters that write a before hook's result (resolved on first use)
     */
    public RequestContextInterceptor(FlaskApp app, Supplier<List<HttpMessageConverter<?>>> converters) {
        this(app, converters, false);
    }

    /**
     * @param app the app whose contexts and hooks this interceptor runs
     * @param converters the message converters that write a before hook's result (resolved on first use)
     * @param strict whether a context left pushed by a request fails that request (for tests and CI) rather
     *     than only being popped and logged
     */
    public RequestContextInterceptor(FlaskApp app, Supplier<List<HttpMessageConverter<?>>> converters,
            boolean strict) {
        this(FlaskApps.of(app), converters, strict);
    }

    /**
     * @param apps the apps, each request running with the one mounted at its path (else the main app)
     * @param converters the message converters that write a before hook's result (resolved on first use)
     * @param strict whether a context left pushed by a request fails that request
     */
    public RequestContextInterceptor(FlaskApps apps, Supplier<List<HttpMessageConverter<?>>> converters,
            boolean strict) {
        this.apps = apps;
        this.shortCircuit = new ShortCircuitResponse(converters);
        this.strict = strict;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            RequestState state = RequestState.of(request);
            if (state != null && state.isAsyncPending()) {
                state.enterAsync(response);
            }
            return true;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || RequestState.of(request) != null) {
            return true;
        }
        FlaskApp app = apps.forPath(request.getRequestURI().substring(request.getContextPath().length()));
        RequestState state = RequestState.push(app, request, response, strict);
        Object result;
        try {
            result = app.preprocessRequest(request);
        } catch (Throwable failure) {
            // Spring calls no afterCompletion for an interceptor whose preHandle threw. With the filter in
            // place the context stays for the @ExceptionHandler and the filter ends it; without, end it now.
            if (!state.hasSafetyNet()) {
                state.pop(failure);
            }
            throw failure;
        }
        if (result == null) {
            return true;
        }
        Throwable failure = null;
        try {
            shortCircuit.write(result, request, response, state::runAfterHooks);
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            // Returning false means Spring calls no afterCompletion for us: end the request here.
            state.pop(failure);
        }
        return false;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
            ModelAndView modelAndView) {
        RequestState state = ownState(request);
        if (state != null && modelAndView != null && !modelAndView.wasCleared()) {
            // A view renders after this point; run the after hooks while its headers can still change.
            state.runAfterHooks();
        }
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        RequestState state = ownState(request);
        if (state == null) {
            return;
        }
        try {
            if (ex == null) {
                state.runAfterHooks();
            }
        } catch (RuntimeException | Error afterHookFailure) {
            // recorded by the state: the teardown hooks receive it
        } finally {
            state.pop(ex);
        }
        if (!state.hasSafetyNet()) {
            throwIfStrictFailure(request);
        }
    }

    private static void throwIfStrictFailure(HttpServletRequest request) {
        IllegalStateException failure = RequestState.strictFailure(request);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
            Object handler) {
        RequestState state = ownState(request);
        if (state != null) {
            // The container thread is about to be released and must keep no context; the after hooks run when the
            // async dispatch writes the response.
            state.startAsync();
        }
    }

    private static RequestState ownState(HttpServletRequest request) {
        DispatcherType type = request.getDispatcherType();
        if (type != DispatcherType.REQUEST && type != DispatcherType.ASYNC) {
            return null;
        }
        RequestState state = RequestState.of(request);
        return state != null && state.isActive() ? state : null;
    }
}
