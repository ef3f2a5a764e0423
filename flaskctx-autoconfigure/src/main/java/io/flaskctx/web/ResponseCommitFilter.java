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
 * interceptor could not (a before hook threw). With this filter, no request context outlives its request.
 */
public final class ResponseCommitFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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
    }
}
