package io.flaskctx.web;

import io.flaskctx.ContextCopy;
import io.flaskctx.ContextLeakException;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import io.flaskctx.SignalReceiver;
import io.flaskctx.StackMark;
import io.flaskctx.local.LocalStack;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One request's lifecycle, in Flask's order ({@code wsgi_app} → {@code full_dispatch_request} →
 * {@code finalize_request} → {@code do_teardown_*}): push the contexts, run the before hooks, let the handler run,
 * run the after hooks and save the session before the response is committed, then tear down and pop. This class
 * alone decides that order and runs each step at most once; the doors into the servlet container and Spring MVC
 * only tell it where the request is:
 *
 * <ul>
 *   <li>{@link FlaskRequestFilter} begins and ends each dispatch of the request (the request's own, and its
 *       async dispatch);
 *   <li>{@link RequestContextInterceptor} asks for the before hooks once Spring MVC has a handler, or has found
 *       none (404, 405, 406, 415: Flask's routing exception, raised after the before hooks);
 *   <li>{@link CommitAwareResponse} asks for the after hooks when something is about to commit the response;
 *   <li>a view renders into a buffer ({@link #viewRendering()}, {@link #viewRendered}), after which the after
 *       hooks run and the body is written, as Flask renders templates inside the view.
 * </ul>
 *
 * <p>The dispatch running on a thread is found with {@link #current()}; it is there exactly while its request
 * context is pushed there by the filter.
 */
final class RequestDispatch {

    private static final Log logger = LogFactory.getLog(RequestDispatch.class);
    // The dispatch whose contexts the filter pushed on this thread; a stack, as a request may run another (MockMvc
    // inside a request, an include through another servlet).
    private static final LocalStack<RequestDispatch> CURRENT = new LocalStack<>();
    // Read only by the filter, to find the request's dispatch again when its async dispatch arrives.
    private static final String ATTRIBUTE = RequestDispatch.class.getName();
    private static final int PREPROCESSED = 1;
    private static final int FINALIZED = 2;
    private static final VarHandle STEPS;

    static {
        try {
            STEPS = MethodHandles.lookup().findVarHandle(RequestDispatch.class, "steps", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FlaskApp app;
    private final HttpServletRequest request;
    // The response of the dispatch being served: the async dispatch may come with its own.
    private CommitAwareResponse response;
    // The request's context while it is pushed on the request's thread; null once it left (async) or popped.
    private @Nullable RequestContext context;
    // The request's context as created, for the whole request (the session and the request live there).
    private final RequestContext original;
    // When the request went async: the copy that carries its contexts to the async dispatch, and what it pushed.
    private @Nullable ContextCopy asyncCopy;
    private ContextCopy.@Nullable Scope asyncScope;
    private @Nullable StackMark mark;
    // The steps that ran (PREPROCESSED, FINALIZED), each once; reached from the request's thread, an async one,
    // or a streaming one. A VarHandle rather than two AtomicBooleans: no allocation per request.
    private volatile int steps;
    // What ended the request, for the teardown hooks: an after hook's failure (the request then answers 500).
    private volatile @Nullable Throwable afterHookFailure;
    private volatile boolean ended;

    private RequestDispatch(FlaskApp app, HttpServletRequest request, CommitAwareResponse response) {
        this.app = app;
        this.request = request;
        this.response = response;
        this.original = app.requestContext(request);
    }

    /**
     * The request enters the application on this thread: its request context (and an app context of its app) is
     * pushed, and the response will run the after hooks before it commits. Then the filter calls {@link #start()}
     * and the chain, and {@link #leave} whatever happens.
     */
    static RequestDispatch begin(FlaskApp app, HttpServletRequest request, CommitAwareResponse response) {
        RequestDispatch dispatch = new RequestDispatch(app, request, response);
        dispatch.context = dispatch.original.push();
        dispatch.mark = StackMark.here();
        CURRENT.push(dispatch);
        response.beforeCommit(dispatch);
        return dispatch;
    }

    /** Flask's {@code request_started}; a receiver that throws ends the request like any unhandled exception. */
    void start() {
        SignalReceiver signals = app.signalReceiver();
        if (signals != null) {
            signals.requestStarted(app);
        }
    }

    /** @return the dispatch whose contexts are pushed on this thread, or null */
    static @Nullable RequestDispatch current() {
        return CURRENT.top();
    }

    /**
     * {@return whether the dispatch running on this thread serves {@code request} (compared through any wrappers):
     * then the request is entering the filter again within that dispatch}
     */
    static boolean runsHere(HttpServletRequest request) {
        RequestDispatch current = CURRENT.top();
        return current != null && (current.request == request
                || FlaskRequestFilter.innermost(current.request) == FlaskRequestFilter.innermost(request));
    }

    /** @return the dispatch of a request that went async and has not ended, or null */
    static @Nullable RequestDispatch ofAsync(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestDispatch dispatch && dispatch.asyncCopy != null
                ? dispatch : null;
    }

    /**
     * Flask's {@code preprocess_request}, once per request: the before hooks, in registration order, until one
     * returns a value, which is then written as the response (through this request's message converters).
     *
     * @param blueprint the blueprint of the request's handler, or null: its hooks run too, in Flask's order
     * @return true when the request goes on to its handler; false when a before hook answered it (or they ran
     *     already: a second call is a forward or the async dispatch, which continue)
     */
    boolean preprocess(ShortCircuitResponse shortCircuit, HttpServletResponse dispatchResponse, @Nullable String blueprint)
            throws Exception {
        if (!take(PREPROCESSED)) {
            return true;
        }
        if (blueprint != null) {
            original.setBlueprint(blueprint);
        }
        Object result = app.preprocessRequest(request);
        if (result == null) {
            return true;
        }
        shortCircuit.write(result, request, dispatchResponse);
        return false;
    }

    /** Whether the before hooks ran, or began to. */
    boolean preprocessed() {
        return (steps & PREPROCESSED) != 0;
    }

    /** Marks {@code step} as run; @return false when it already had (or began to) */
    private boolean take(int step) {
        while (true) {
            int current = steps;
            if ((current & step) != 0) {
                return false;
            }
            if (STEPS.compareAndSet(this, current, current | step)) {
                return true;
            }
        }
    }

    /** A view is about to render: its body is kept in memory until {@link #viewRendered}. */
    void viewRendering() {
        response.bufferBody();
    }

    /**
     * The view rendered (or failed to): as in Flask, where the template is rendered inside the view, the after
     * hooks and the session save now run, seeing what the template did (the flashed messages it consumed, the
     * body's length as {@code Content-Length}), and then the body is written.
     *
     * @param failed whether rendering threw: the body is dropped and the exception takes its usual way
     */
    void viewRendered(boolean failed) throws IOException {
        byte[] body = response.takeBody();
        if (body == null || failed) {
            return;
        }
        // Nothing buffered may also mean that a wrapper between here and the view keeps the body (a filter's
        // ContentCachingResponseWrapper) and writes it later: then the length is not known here.
        if (body.length > 0 && !response.isCommitted() && response.getHeader("Content-Length") == null) {
            response.setContentLength(body.length);
        }
        finalizeIfHere();
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    /** The response is about to commit: finalize it, when this thread runs the request. */
    void finalizeIfHere() {
        // The body may first be opened on another thread: an async or streaming task runs with copies of the
        // request's contexts, and the hooks run there. A thread without them (a body written by code that did not
        // copy the contexts) leaves the hooks to the end of the request.
        if (!ended && Flask.hasRequestContext() && Flask.request() == original.request()) {
            finalizeResponse(null);
        }
    }

    /**
     * Flask's {@code finalize_request}, once per request, before anything commits the response: the after hooks
     * (this request's {@code after_this_request} functions first), the session save, {@code request_finished}.
     * When an after hook throws, the remaining ones are skipped, the error handlers are not consulted and the
     * request answers 500, as in Flask; the teardown hooks receive the exception.
     *
     * @param unhandled the exception the request ended with, or null: then, as Flask's error path, a failing after
     *     hook is only logged
     */
    private void finalizeResponse(@Nullable Throwable unhandled) {
        if (!take(FINALIZED)) {
            return;
        }
        response.beforeCommit(null);
        if (response.isCommitted()) {
            logger.warn("The response to " + original + " was committed before flaskctx could run the after hooks;"
                    + " they were skipped");
            return;
        }
        try {
            app.processResponse(response);
            // Flask's process_response saves the session last, after the after hooks.
            original.saveSession(response);
        } catch (RuntimeException | Error failure) {
            if (unhandled != null) {
                logger.error("An after hook failed while " + original + " was answering its unhandled exception; the"
                        + " other after hooks were skipped", failure);
                return;
            }
            afterHookFailure = failure;
            logger.error("Exception on " + describe(request) + ": an after hook failed; the response is a 500",
                    failure);
            SignalReceiver signals = app.signalReceiver();
            if (signals != null) {
                signals.gotRequestException(app, failure);
            }
            response.failWithServerError();
            return;
        }
        SignalReceiver signals = app.signalReceiver();
        if (signals != null) {
            signals.requestFinished(app, response);
        }
    }

    /**
     * The dispatch that began this request (or its async dispatch) leaves the filter: the request either went
     * async, and its contexts leave this thread for the async dispatch, or it is over, and tears down.
     *
     * @param error what escaped the servlet, or null
     * @return the failure strict mode ({@link FlaskApp#isStrict()}) asks for, once everything was popped, or null
     */
    @Nullable ContextLeakException leave(@Nullable Throwable error) {
        try {
            if (request.isAsyncStarted()) {
                return startAsync();
            }
            return end(unwrap(error));
        } finally {
            CURRENT.pop();
        }
    }

    /**
     * The async dispatch begins on this thread: the request's contexts come back, as copies.
     *
     * @return false when there is nothing to enter (the copy was already released)
     */
    boolean enterAsync(CommitAwareResponse dispatchResponse) {
        ContextCopy carried = asyncCopy;
        asyncCopy = null;
        if (carried == null) {
            return false;
        }
        asyncScope = carried.enter();
        mark = StackMark.here();
        response = dispatchResponse;
        CURRENT.push(this);
        if ((steps & FINALIZED) == 0) {
            dispatchResponse.beforeCommit(this);
        }
        return true;
    }

    private @Nullable ContextLeakException startAsync() {
        ContextLeakException leaked = popLeaks("went async");
        ContextCopy carried = Flask.copyCurrentRequestContext();
        // Only an async request needs to be found again, by its async dispatch: set here, not per request.
        request.setAttribute(ATTRIBUTE, this);
        ContextLeakException leftByTeardown = leaveThread(null);
        asyncCopy = carried;
        leaked = leaked != null ? leaked : leftByTeardown;
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
        return leaked;
    }

    private @Nullable ContextLeakException end(@Nullable Throwable unhandled) {
        ended = true;
        if (asyncScope != null) {
            request.removeAttribute(ATTRIBUTE);
        }
        SignalReceiver signals = app.signalReceiver();
        if (unhandled != null) {
            if (signals != null) {
                signals.gotRequestException(app, unhandled);
            }
            // Flask answers an unhandled exception with a 500 that still runs the after hooks and saves the
            // session; Spring Boot renders the body once the request has left the servlet.
            if ((steps & FINALIZED) == 0 && !response.isCommitted()) {
                response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
        finalizeResponse(unhandled);
        response.beforeCommit(null);
        Throwable error = unhandled != null ? unhandled : afterHookFailure;
        if (afterHookFailure != null && unhandled == null) {
            try {
                response.sendServerError();
            } catch (IOException clientGone) {
                logger.debug("Could not send the 500 for " + original, clientGone);
            }
        }
        ContextLeakException leaked = popLeaks("ended");
        ContextLeakException leftByTeardown = leaveThread(error);
        // Copies still running (work the request started and did not wait for) keep a snapshot of the request:
        // the container recycles the live one once this returns.
        try {
            original.requestEnding();
        } catch (RuntimeException snapshotFailure) {
            logger.warn("Could not keep a snapshot of " + original + " for the copies of its context still"
                    + " running; they will find the request recycled", snapshotFailure);
        }
        return leaked != null ? leaked : leftByTeardown;
    }

    /**
     * Pops what this request has pushed on this thread: its own context, or the copies of its async dispatch.
     *
     * @return what strict mode reports of contexts the teardown hooks left pushed (they are popped), or null
     */
    private @Nullable ContextLeakException leaveThread(@Nullable Throwable error) {
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
        } catch (ContextLeakException leftPushed) {
            return leftPushed;
        } catch (RuntimeException | Error failure) {
            logger.error("A teardown hook failed while ending " + original + "; every other teardown hook ran and"
                    + " the contexts were popped", failure);
        }
        return null;
    }

    /**
     * Pops the contexts user code left above the request's.
     *
     * @param event what the request did, for the report: "ended", "went async" (described only when something leaked)
     * @return the failure strict mode asks for, or null
     */
    private @Nullable ContextLeakException popLeaks(String event) {
        // marked when the request started on this thread
        StackMark mark = Objects.requireNonNull(this.mark);
        if (!mark.hasLeaks()) {
            return null;
        }
        String when = "when " + describe(request) + " " + event;
        return leaked(app, mark.popLeaks(when), when);
    }

    /** The failure a strict app asks for when {@code leaks} were found (and popped), or null. */
    static @Nullable ContextLeakException leaked(FlaskApp app, List<StackMark.Leak> leaks, String when) {
        return app.isStrict() && !leaks.isEmpty() ? new ContextLeakException("flaskctx.strict=true and a context"
                + " leaked:\n" + StackMark.describe(leaks, when), leaks) : null;
    }

    static String describe(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI();
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable error) {
        // The filter sees handler exceptions wrapped by the DispatcherServlet; hooks get what the handler threw.
        Throwable current = error;
        while (current instanceof ServletException servlet && servlet.getRootCause() != null) {
            current = servlet.getRootCause();
        }
        return current;
    }

    @Override
    public String toString() {
        return "<RequestDispatch of " + original + ">";
    }
}
