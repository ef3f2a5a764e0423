package io.flaskctx.web;

import io.flaskctx.ContextCopy;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.SignalReceiver;
import io.flaskctx.StackMark;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final String STRICT_FAILURE = RequestState.class.getName() + ".STRICT_FAILURE";
    private static final Log logger = LogFactory.getLog(RequestState.class);

    private final FlaskApp app;
    private final HttpServletRequest request;
    private final boolean strict;
    // The response of the dispatch being served (the async dispatch may bring its own wrapper).
    private HttpServletResponse response;
    private CommitAwareResponse commitAware;
    // The request's own context: pushed on the request's thread, null once popped.
    private RequestContext context;
    // The request's context as created, kept for the whole request (the session lives there).
    private RequestContext original;
    // When the request went async: the share that carries its contexts to the async dispatch ...
    private ContextCopy asyncCopy;
    // ... and the copies that share pushed there.
    private ContextCopy.Scope asyncScope;
    private StackMark mark;
    // Written on the request's threads, read where a body is first opened (possibly an async or streaming thread).
    private final AtomicBoolean afterHooksRan = new AtomicBoolean();
    private volatile Throwable afterHookFailure;
    private volatile boolean ended;

    private RequestState(FlaskApp app, HttpServletRequest request, HttpServletResponse response, boolean strict) {
        this.app = app;
        this.strict = strict;
        this.request = request;
        useResponse(response);
    }

    private void useResponse(HttpServletResponse dispatchResponse) {
        this.response = dispatchResponse;
        this.commitAware = WebUtils.getNativeResponse(dispatchResponse, CommitAwareResponse.class);
    }

    /**
     * Pushes a request context for {@code request} and arranges for the after hooks to run before commit.
     * Contexts already current (pushed by an outer filter, or by a test around MockMvc) stay as outer contexts,
     * as in Flask: an app context of the same app is reused.
     */
    static RequestState push(FlaskApp app, HttpServletRequest request, HttpServletResponse response, boolean strict) {
        RequestState state = new RequestState(app, request, response, strict);
        state.context = app.requestContext(request).push();
        state.original = state.context;
        state.mark = StackMark.here();
        SignalReceiver signals = app.signalReceiver();
        if (signals != null) {
            signals.requestStarted(app);
        }
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

    /** Whether the request's contexts are current on this thread: pushed, or entered by its async dispatch. */
    boolean isActive() {
        return context != null || asyncScope != null;
    }

    /** Runs the app's after hooks once, unless the response is already committed. */
    void runAfterHooks() {
        if (ended || !afterHooksRan.compareAndSet(false, true)) {
            return;
        }
        if (commitAware != null) {
            commitAware.beforeCommit(null);
        }
        if (response.isCommitted()) {
            logger.warn("The response to " + original + " was committed before flaskctx could run the after hooks;"
                    + " they were skipped");
            return;
        }
        try {
            app.processResponse(response);
            // Flask's process_response saves the session last, after the after hooks.
            original.saveSession(response);
            SignalReceiver signals = app.signalReceiver();
            if (signals != null) {
                signals.requestFinished(app, response);
            }
        } catch (RuntimeException | Error failure) {
            afterHookFailure = failure;
            throw failure;
        }
    }

    private void runAfterHooksIfCurrent() {
        // The body may first be opened on another thread: an async or streaming task runs with copies of the
        // request's contexts, and the hooks run there. A thread without them (a body written by code that did
        // not copy the contexts) leaves the hooks to the end of the request.
        if (!ended && Flask.hasRequestContext() && Flask.request() == request) {
            runAfterHooks();
        }
    }

    /**
     * The request goes async and its thread is about to be released, which must keep no context: the contexts
     * leave this thread, and a copy carries them to the async dispatch, so teardown runs once, when the async
     * request completes, times out or fails. Called with the request's contexts current.
     */
    void startAsync() {
        if (mark.hasLeaks()) {
            String when = "when " + describe(request) + " went async";
            reportLeaks(mark.popLeaks(when), when);
        }
        ContextCopy carried = Flask.copyCurrentRequestContext();
        // The commit callback stays armed: a streaming body is opened later, on a thread running the copies.
        leaveThread(null);
        asyncCopy = carried;
        if (request.isAsyncStarted()) {
            // Completion without a dispatch (client gone) must not hold teardown forever.
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    carried.close();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
        }
    }

    /** The async dispatch begins on this thread: the request's contexts come back, as copies. */
    void enterAsync(HttpServletResponse dispatchResponse) {
        ContextCopy carried = asyncCopy;
        asyncCopy = null;
        if (carried == null || isActive()) {
            return;
        }
        asyncScope = carried.enter();
        mark = StackMark.here();
        useResponse(dispatchResponse);
        if (commitAware != null) {
            commitAware.beforeCommit(this::runAfterHooksIfCurrent);
        }
    }

    /** Whether the request is between going async and its async dispatch. */
    boolean isAsyncPending() {
        return asyncCopy != null;
    }

    /**
     * Pops the request context (its teardown hooks run with {@code error}, or with an after hook's failure)
     * and forgets the request. Teardown failures are logged, not thrown: the response is already decided.
     */
    void pop(Throwable error) {
        if (!isActive()) {
            return;
        }
        ended = true;
        request.removeAttribute(ATTRIBUTE);
        if (commitAware != null) {
            commitAware.beforeCommit(null);
        }
        if (mark.hasLeaks()) {
            String when = "when " + describe(request) + " ended";
            reportLeaks(mark.popLeaks(when), when);
        }
        Throwable reported = unwrap(error != null ? error : afterHookFailure);
        SignalReceiver signals = app.signalReceiver();
        if (signals != null && reported != null) {
            signals.gotRequestException(app, reported);
        }
        leaveThread(reported);
        // Copies still running (work the request started and did not wait for) keep a snapshot of the request:
        // the container recycles the live one once this returns.
        try {
            original.requestEnding();
        } catch (RuntimeException snapshotFailure) {
            logger.warn("Could not keep a snapshot of " + original + " for the copies of its context still"
                    + " running; they will find the request recycled", snapshotFailure);
        }
    }

    /** Pops what this request has pushed on this thread: its own context, or the copies of its async dispatch. */
    private void leaveThread(Throwable error) {
        RequestContext popping = context;
        ContextCopy.Scope copies = asyncScope;
        context = null;
        asyncScope = null;
        try {
            if (popping != null) {
                popping.pop(error);
            } else if (copies != null) {
                copies.close(error);
            }
        } catch (RuntimeException | Error failure) {
            logger.error("A teardown hook failed while ending " + original + "; every other teardown hook ran and"
                    + " the contexts were popped", failure);
        }
    }

    /**
     * Pops what a server thread still holds as a request enters the application: contexts left there by other
     * code on a shared pool, which the request must never see. Under MockMvc the request runs on the test's own
     * thread, whose contexts belong to the test, so they stay.
     */
    static void clearLeftovers(HttpServletRequest request, boolean strict) {
        StackMark clean = StackMark.empty();
        if (clean.hasLeaks() && !isMockRequest(request)) {
            String when = "when " + describe(request) + " began on this thread";
            reportLeaks(request, strict, clean.popLeaks(when), when);
        }
    }

    private void reportLeaks(List<StackMark.Leak> leaks, String when) {
        reportLeaks(request, strict, leaks, when);
    }

    private static void reportLeaks(HttpServletRequest request, boolean strict, List<StackMark.Leak> leaks,
            String when) {
        if (strict && request.getAttribute(STRICT_FAILURE) == null) {
            request.setAttribute(STRICT_FAILURE, new IllegalStateException("flaskctx.strict=true and a context leaked:\n"
                    + StackMark.describe(leaks, when)));
        }
    }

    /** The failure strict mode asks for, once the request's contexts are all popped; null when there is none. */
    static IllegalStateException strictFailure(HttpServletRequest request) {
        Object failure = request.getAttribute(STRICT_FAILURE);
        request.removeAttribute(STRICT_FAILURE);
        return failure instanceof IllegalStateException e ? e : null;
    }

    private static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }

    private static boolean isMockRequest(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper wrapper) {
            current = wrapper.getRequest();
        }
        return current.getClass().getName().startsWith("org.springframework.mock.web.");
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
