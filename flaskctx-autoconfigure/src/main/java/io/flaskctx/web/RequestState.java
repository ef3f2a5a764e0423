package io.flaskctx.web;

import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.util.WebUtils;

/**
 * What flaskctx knows about one request while it runs: its pushed request context, whether the after hooks
 * have run, and what failed on the way. Kept as a request attribute so that the interceptor's callbacks and
 * the filter's safety net find the same state.
 */
final class RequestState {

    private static final String ATTRIBUTE = RequestState.class.getName();
    private static final Log logger = LogFactory.getLog(RequestState.class);

    private final FlaskApp app;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final CommitAwareResponse commitAware;
    private RequestContext context;
    private boolean afterHooksRan;
    private Throwable afterHookFailure;

    private RequestState(FlaskApp app, HttpServletRequest request, HttpServletResponse response) {
        this.app = app;
        this.request = request;
        this.response = response;
        this.commitAware = WebUtils.getNativeResponse(response, CommitAwareResponse.class);
    }

    /** Pushes a request context for {@code request} and arranges for the after hooks to run before commit. */
    static RequestState push(FlaskApp app, HttpServletRequest request, HttpServletResponse response) {
        RequestState state = new RequestState(app, request, response);
        state.context = app.requestContext(request).push();
        request.setAttribute(ATTRIBUTE, state);
        if (state.commitAware != null) {
            state.commitAware.beforeCommit(state::runAfterHooksIfCurrent);
        }
        return state;
    }

    static RequestState of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestState state ? state : null;
    }

    /** Whether a filter wraps the response, so that it can end the request when the interceptor cannot. */
    boolean hasSafetyNet() {
        return commitAware != null;
    }

    boolean isPushed() {
        return context != null;
    }

    /** Runs the app's after hooks once, unless the response is already committed. */
    void runAfterHooks() {
        if (afterHooksRan || context == null) {
            return;
        }
        afterHooksRan = true;
        if (commitAware != null) {
            commitAware.beforeCommit(null);
        }
        if (response.isCommitted()) {
            logger.warn("The response to " + context + " was committed before flaskctx could run the after hooks;"
                    + " they were skipped");
            return;
        }
        try {
            app.processResponse(response);
        } catch (RuntimeException | Error failure) {
            afterHookFailure = failure;
            throw failure;
        }
    }

    private void runAfterHooksIfCurrent() {
        // Bodies written later on another thread (streaming) have no context there; those hooks ran already or
        // run at the end of the request on its own thread.
        if (context != null && io.flaskctx.Flask.hasRequestContext() && io.flaskctx.Flask.request() == request) {
            runAfterHooks();
        }
    }

    /**
     * Pops the request context (its teardown hooks run with {@code error}, or with an after hook's failure)
     * and forgets the request. Teardown failures are logged, not thrown: the response is already decided.
     */
    void pop(Throwable error) {
        RequestContext popping = context;
        if (popping == null) {
            return;
        }
        context = null;
        request.removeAttribute(ATTRIBUTE);
        if (commitAware != null) {
            commitAware.beforeCommit(null);
        }
        Throwable reported = unwrap(error != null ? error : afterHookFailure);
        try {
            popping.pop(reported);
        } catch (RuntimeException | Error failure) {
            logger.error("A teardown hook failed while ending " + popping + "; every other teardown hook ran and"
                    + " the contexts were popped", failure);
        }
    }

    private static Throwable unwrap(Throwable error) {
        // The filter sees handler exceptions wrapped by the DispatcherServlet; hooks get what the handler threw.
        Throwable current = error;
        while (current instanceof ServletException servlet && servlet.getRootCause() != null) {
            current = servlet.getRootCause();
        }
        return current;
    }
}
