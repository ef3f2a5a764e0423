package io.flaskctx;

/**
 * Thrown when code needs the current application or request but no such context is pushed on the calling
 * thread: Flask's "Working outside of application context" and "Working outside of request context"
 * {@code RuntimeError}s. The first line of the message is Flask's; the rest says how to fix it in Java.
 */
public class OutsideContextException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was missing and how to fix it
     */
    public OutsideContextException(String message) {
        super(message);
    }

    static OutsideContextException app() {
        return new OutsideContextException("""
                Working outside of application context.

                This typically means that you attempted to use functionality that needed
                the current application (current_app, g). To solve this, push an application
                context around the code, on the thread that runs it:

                    try (var ctx = app.appContext().push()) { ... }

                In a Spring web application flaskctx pushes one for every request its interceptor
                matches (flaskctx.web.include-patterns); threads you start yourself see no context.
                To hand work to another thread, copy the current contexts into the task while they
                are current:

                    executor.execute(Flask.copyCurrentAppContext().wrap(task));

                @Async methods get them from the starter's task decorator (CopyContextTaskDecorator),
                which Spring Boot applies to its task executor; give it to an executor you build
                yourself with setTaskDecorator.""");
    }

    static OutsideContextException request() {
        return new OutsideContextException("""
                Working outside of request context.

                This typically means that you attempted to use functionality that needed
                an active HTTP request. flaskctx pushes a request context for every web request its
                interceptor matches (flaskctx.web.include-patterns); outside one (jobs, tests, threads
                you start yourself) push one around the code:

                    try (var ctx = app.requestContext(httpServletRequest).push()) { ... }

                To hand work of a request to another thread, copy the request's contexts into the task
                while the request runs:

                    executor.execute(Flask.copyCurrentRequestContext().wrap(task));

                @Async methods get them from the starter's task decorator (CopyContextTaskDecorator),
                which Spring Boot applies to its task executor; give it to an executor you build
                yourself with setTaskDecorator.""");
    }
}
