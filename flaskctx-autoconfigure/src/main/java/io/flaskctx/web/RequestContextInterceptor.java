package io.flaskctx.web;

import io.flaskctx.Blueprint;
import io.flaskctx.Blueprints;
import io.flaskctx.Flask;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.servlet.view.UrlBasedViewResolver;

/**
 * Flask's {@code full_dispatch_request} inside Spring MVC: runs the before hooks of the request that
 * {@link FlaskRequestFilter} began, once Spring MVC has looked for its handler, and writes a before hook's result
 * as the response (the handler is then skipped). As an interceptor it runs them before the handler; as an
 * exception resolver (ahead of Spring's) it runs them for a request no handler matched, before the 404, 405, 406
 * or 415 is answered: Flask raises its routing exception only after the before hooks, which may answer instead.
 * The handler decides the request's blueprint ({@link io.flaskctx.Blueprint}), before the before hooks run; a
 * request without a handler belongs to none.
 * An exception a before hook throws there goes to the application's exception handlers, as Flask hands it to its
 * error handlers.
 *
 * <p>A request with contexts also gets them in a handler's {@code Callable} (or {@code WebAsyncTask},
 * {@code StreamingResponseBody}): the interceptor registers the request's {@code CallableProcessingInterceptor}
 * with Spring MVC's async support as the handler is about to run.
 *
 * <p>The after hooks, the session save and the teardown are not its business: the request's lifecycle runs them
 * when the response is about to commit and when the request leaves the filter.
 */
public final class RequestContextInterceptor implements HandlerInterceptor, HandlerExceptionResolver, Ordered {

    private static final String NO_BLUEPRINT = "";
    private static final CallableContextInterceptor CALLABLES = new CallableContextInterceptor();

    private final FlaskRequestFilter filter;
    private final ShortCircuitResponse shortCircuit;
    private final Supplier<HandlerExceptionResolver> resolvers;
    // Handler class to its blueprint's name ("" for none): Flask's endpoint-to-blueprint, resolved on first use.
    private final Map<Class<?>, String> blueprints = new ConcurrentHashMap<>();

    /**
     * Creates the interceptor.
     *
     * @param filter the filter that begins the requests whose before hooks this runs
     * @param converters the message converters that write a before hook's result (resolved on first use)
     * @param resolvers the application's exception resolvers, for an exception a before hook throws while no
     *     handler was found (resolved on first use)
     */
    public RequestContextInterceptor(FlaskRequestFilter filter, Supplier<List<HttpMessageConverter<?>>> converters,
            Supplier<HandlerExceptionResolver> resolvers) {
        this.filter = filter;
        this.shortCircuit = new ShortCircuitResponse(converters);
        this.resolvers = resolvers;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        RequestDispatch dispatch = RequestDispatch.current();
        if (dispatch == null) {
            if (request.getDispatcherType() == DispatcherType.REQUEST && filter.handles(request)) {
                throw new IllegalStateException("flaskctx: no request context for " + RequestDispatch.describe(request)
                        + ", because flaskctx's FlaskRequestFilter did not run in front of the DispatcherServlet."
                        + " The starter registers it; a MockMvc built by hand needs it added:"
                        + " MockMvcBuilders.webAppContextSetup(context).addFilters(context.getBean("
                        + FlaskRequestFilter.class.getSimpleName() + ".class)).build(), or use"
                        + " @AutoConfigureMockMvc.");
            }
            return true;
        }
        // Only requests with contexts need it, and under one constant key it costs a map entry: registered with
        // the async support configurer instead, every request (with contexts or not) would build its key string.
        WebAsyncUtils.getAsyncManager(request).registerCallableInterceptor(CallableContextInterceptor.class, CALLABLES);
        return dispatch.preprocess(shortCircuit, response, blueprintOf(handler));
    }

    /**
     * A view will render: Flask's template variables join its model
     * ({@link io.flaskctx.FlaskApp#updateTemplateContext}, for every view technology; a redirect's model is left
     * alone, as Spring would put it in the URL), and its body is kept in memory until the after hooks ran.
     *
     * @param request the request
     * @param response the response
     * @param handler the handler that ran
     * @param modelAndView what the handler returned, null when it wrote the body itself
     */
    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
            @Nullable ModelAndView modelAndView) {
        RequestDispatch dispatch = RequestDispatch.current();
        if (dispatch == null || modelAndView == null || modelAndView.wasCleared()) {
            return;
        }
        String viewName = modelAndView.getViewName();
        boolean redirect = viewName != null ? viewName.startsWith(UrlBasedViewResolver.REDIRECT_URL_PREFIX)
                : modelAndView.getView() instanceof RedirectView;
        if (!redirect) {
            Flask.currentApp().updateTemplateContext(modelAndView.getModel());
        }
        dispatch.viewRendering();
    }

    /**
     * The view rendered: the after hooks and the session save run, then its body is written.
     *
     * @param request the request
     * @param response the response
     * @param handler the handler that ran
     * @param failure what the handler or the view threw, or null: then the rendered body is dropped
     * @throws IOException when the body cannot be written
     */
    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            @Nullable Exception failure) throws IOException {
        RequestDispatch dispatch = RequestDispatch.current();
        if (dispatch != null) {
            dispatch.viewRendered(failure != null);
        }
    }

    /** The blueprint of the handler's class, looked up once per class. */
    private @Nullable String blueprintOf(Object handler) {
        Class<?> type = handler instanceof HandlerMethod method ? method.getBeanType() : handler.getClass();
        String name = blueprints.computeIfAbsent(type, t -> {
            Blueprint declared = Blueprints.declaredOn(t);
            return declared == null ? NO_BLUEPRINT : declared.value();
        });
        return name.isEmpty() ? null : name;
    }

    /**
     * Runs the before hooks of a request for which Spring MVC found no handler, ahead of Spring's own answer.
     *
     * @return an empty model when a before hook answered the request, else null: Spring answers the routing
     *     failure
     * @throws RuntimeException what a before hook threw, when no exception handler took it
     */
    @Override
    public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
            @Nullable Object handler, Exception routingFailure) {
        RequestDispatch dispatch = RequestDispatch.current();
        if (handler != null || dispatch == null || dispatch.preprocessed()) {
            return null;
        }
        try {
            // No handler (404, 405...): as in Flask, the request belongs to no blueprint and runs the app's hooks.
            return dispatch.preprocess(shortCircuit, response, null) ? null : new ModelAndView();
        } catch (Exception beforeHookFailure) {
            ModelAndView handled = resolvers.get().resolveException(request, response, null, beforeHookFailure);
            if (handled != null) {
                return handled;
            }
            throw sneaky(beforeHookFailure);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    /** Ahead of Spring's resolvers (Boot's error attributes come first; they only record the exception). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
