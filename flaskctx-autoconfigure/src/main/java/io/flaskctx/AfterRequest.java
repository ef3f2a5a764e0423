package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code @app.after_request}: marks a method of any Spring bean to run after each request that
 * produced a response, in reverse registration order, before the response is committed, so it may set
 * headers and the status on every kind of response ({@code @ResponseBody} included). It must return void.
 * Parameters: {@code HttpServletResponse}, {@code HttpServletRequest}, {@code FlaskApp}, {@code G}.
 *
 * <p>A method with a parameter or return type outside these stops start-up with a message naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AfterRequest {

    /**
     * {@return the app the hook belongs to: its name (see {@code flaskctx.apps}), {@code "*"} for every app, or empty
     * (the default) for the main app only, as Flask's app-level hooks belong to their app}
     */
    String app() default "";

    /**
     * {@return the blueprint the hook belongs to (Flask's {@code bp.after_request}): it then runs only for requests
     *     whose handler belongs to that blueprint or to one nested in it; empty (the default) for the blueprint of
     *     the declaring class ({@link Blueprint}), or for the whole app when that class belongs to none}
     */
    String blueprint() default "";

    /**
     * {@return true to run for every request of the app although the declaring class belongs to a blueprint
     *     (Flask's {@code bp.after_app_request}); false (the default) to follow {@link #blueprint()}}
     */
    boolean appRequest() default false;
}
