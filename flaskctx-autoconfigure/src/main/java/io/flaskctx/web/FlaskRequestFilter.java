package io.flaskctx.web;

import io.flaskctx.ContextLeakException;
import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.StackMark;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.WebUtils;

/**
 * Flask's {@code wsgi_app} for a servlet application: each request that enters it gets a request context (and an
 * app context of the app mounted at its path) for its whole way through the servlet, Spring Security and Spring
 * MVC included, and leaves with its teardown hooks run and nothing left on the thread. An async request keeps its
 * contexts for its async dispatch and tears down once, when that ends.
 *
 * <p>The filter runs no hook itself: the request's lifecycle decides, in Flask's order, what runs when. The before
 * hooks run once Spring MVC has looked for the handler, through {@link RequestContextInterceptor}, which needs this
 * filter in front of the {@code DispatcherServlet} (the starter registers both; a hand-built {@code MockMvc} adds
 * the filter with {@code addFilters}).
 *
 * <p>Once per request, as Spring's {@code OncePerRequestFilter}, but told by the request's lifecycle rather than by a
 * request attribute set and removed on every request: a request whose dispatch already runs on the thread (the
 * filter registered twice, a forward) passes through, and so does an error dispatch.
 */
public final class FlaskRequestFilter implements Filter {

    private final FlaskApps apps;
    private final ContextPaths paths;

    /**
     * A filter for one app and every path.
     *
     * @param app the app whose contexts every request gets
     */
    public FlaskRequestFilter(FlaskApp app) {
        this(FlaskApps.of(app), List.of("/**"), List.of());
    }

    /**
     * A request that leaks a context, or finds one left on its thread, fails when its app is strict
     * ({@link FlaskApp#isStrict()}); it is only reported otherwise.
     *
     * @param apps the apps, each request running with the one mounted at its path (else the main app)
     * @param includePatterns path patterns ({@code PathPattern} syntax) whose requests get contexts
     * @param excludePatterns path patterns left out of those
     * @throws org.springframework.web.util.pattern.PatternParseException for a malformed pattern
     */
    public FlaskRequestFilter(FlaskApps apps, List<String> includePatterns, List<String> excludePatterns) {
        this.apps = apps;
        this.paths = new ContextPaths(includePatterns, excludePatterns);
    }

    /** Whether requests to this path get contexts. */
    boolean handles(HttpServletRequest request) {
        return paths.matches(request);
    }

    /**
     * Runs the request with its contexts, or resumes its async dispatch with them.
     *
     * @param servletRequest the request, an HTTP one
     * @param servletResponse its response
     * @param chain the rest of the chain, the {@code DispatcherServlet} at its end
     * @throws ServletException for a request that is not an HTTP one, or what the chain threw
     * @throws IOException what the chain threw
     */
    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws ServletException, IOException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            throw new ServletException("FlaskRequestFilter serves HTTP requests only, not " + servletRequest);
        }
        DispatcherType type = request.getDispatcherType();
        if (type == DispatcherType.ERROR || RequestDispatch.runsHere(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (type == DispatcherType.ASYNC) {
            resumeAsync(request, response, chain);
            return;
        }
        FlaskApp app = apps.forPath(request.getRequestURI().substring(request.getContextPath().length()));
        ContextLeakException leftover = clearLeftovers(app, request);
        if (!paths.matches(request)) {
            chain.doFilter(request, response);
        } else {
            CommitAwareResponse commitAware = new CommitAwareResponse(response);
            run(RequestDispatch.begin(app, request, commitAware), true, request, commitAware, chain);
        }
        if (leftover != null) {
            throw leftover;
        }
    }

    private void resumeAsync(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RequestDispatch dispatch = RequestDispatch.ofAsync(request);
        // The async dispatch usually comes with the wrapper the request was given: keep the one wrapper.
        CommitAwareResponse commitAware = WebUtils.getNativeResponse(response, CommitAwareResponse.class);
        HttpServletResponse passed = commitAware != null ? response : (commitAware = new CommitAwareResponse(response));
        if (dispatch == null || !dispatch.enterAsync(commitAware)) {
            chain.doFilter(request, response);
            return;
        }
        run(dispatch, false, request, passed, chain);
    }

    private static void run(RequestDispatch dispatch, boolean first, HttpServletRequest request,
            HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        Throwable failure = null;
        ContextLeakException strictFailure;
        try {
            if (first) {
                dispatch.start();
            }
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            strictFailure = dispatch.leave(failure);
        }
        if (strictFailure != null) {
            throw strictFailure;
        }
    }

    /**
     * Pops what a server thread still holds as a request enters: contexts left there by other code on a shared
     * pool, which the request must never see. Under MockMvc the request runs on the test's own thread, whose
     * contexts belong to the test, so they stay.
     */
    private static @Nullable ContextLeakException clearLeftovers(FlaskApp app, HttpServletRequest request) {
        StackMark clean = StackMark.empty();
        if (!clean.hasLeaks() || isMockRequest(request)) {
            return null;
        }
        String when = "when " + RequestDispatch.describe(request) + " began on this thread";
        return RequestDispatch.leaked(app, clean.popLeaks(when), when);
    }

    private static boolean isMockRequest(ServletRequest request) {
        return innermost(request).getClass().getName().startsWith("org.springframework.mock.web.");
    }

    /** {@return the request that {@code request} wraps, through every wrapper, or itself} */
    static ServletRequest innermost(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper wrapper) {
            current = wrapper.getRequest();
        }
        return current;
    }
}
