package io.flaskctx.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outer edge of Flask's {@code wsgi_app} for Spring MVC: wraps each response so that the after hooks run
 * just before it is committed, and ends the request context when the request leaves the servlet, if the
 * interceptor could not (a before hook threw). With this filter, no request context outlives its request, and in
 * strict mode a request that leaked a context fails here, after everything was popped.
 */
public final class ResponseCommitFilter extends OncePerRequestFilter {

    private final boolean strict;

    /** A filter that pops leftover contexts and logs them, without failing requests. */
    public ResponseCommitFilter() {
        this(false);
    }

    /**
     * @param strict whether a request whose thread held leftover contexts, or that leaked one, fails
     */
    public ResponseCommitFilter(boolean strict) {
        this.strict = strict;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RequestState.clearLeftovers(request, strict);
        Throwable failure = null;
        try {
            chain.doFilter(request, new CommitAwareResponse(response));
        } catch (ServletException | IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            RequestState state = RequestState.of(request);
            if (state != null && !request.isAsyncStarted()) {
                state.pop(failure);
            }
        }
        IllegalStateException strictFailure = RequestState.strictFailure(request);
        if (strictFailure != null) {
            throw strictFailure;
        }
    }
}
