package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code @app.teardown_request}: marks a method of any Spring bean to run when each request context
 * is popped, in reverse registration order, with the request still current. It receives the exception that
 * ended the request unhandled, or null (an exception handled by an {@code @ExceptionHandler} gives null, as
 * Flask's handled errors do). Every teardown hook runs even when one throws. It must return void.
 * Parameters: {@code Throwable}, {@code HttpServletRequest}, {@code FlaskApp}, {@code G}.
 *
 * <p>A method with a parameter or return type outside these stops start-up with a message naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TeardownRequest {

    /**
     * {@return the app the hook belongs to: its name (see {@code flaskctx.apps}), {@code "*"} for every app, or empty
     * (the default) for the main app only, as Flask's app-level hooks belong to their app}
     */
    String app() default "";

    /**
     * {@return the blueprint the hook belongs to (Flask's {@code bp.teardown_request}): it then runs only for requests
     *     whose handler belongs to that blueprint or to one nested in it; empty (the default) for the blueprint of
     *     the declaring class ({@link Blueprint}), or for the whole app when that class belongs to none}
     */
    String blueprint() default "";

    /**
     * {@return true to run for every request of the app although the declaring class belongs to a blueprint
     *     (Flask's {@code bp.teardown_app_request}); false (the default) to follow {@link #blueprint()}}
     */
    boolean appRequest() default false;
}
