package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code @app.before_request}: marks a method of any Spring bean to run before each request, in
 * registration order ({@code @Order} first, then bean registration order). A method that returns a non-null
 * value ends the request with it as the response (a {@code ResponseEntity}, or a body written like a {@code
 * @ResponseBody} return value): later before hooks and the handler are skipped, the after hooks still run.
 * Parameters, resolved by type: {@code HttpServletRequest}, {@code FlaskApp}, {@code G}.
 *
 * <p>A method with a parameter or return type outside these stops start-up with a message naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BeforeRequest {

    /**
     * {@return the app the hook belongs to: its name (see {@code flaskctx.apps}), {@code "*"} for every app, or empty
     * (the default) for the main app only, as Flask's app-level hooks belong to their app}
     */
    String app() default "";

    /**
     * {@return the blueprint the hook belongs to (Flask's {@code bp.before_request}): it then runs only for requests
     *     whose handler belongs to that blueprint or to one nested in it; empty (the default) for the blueprint of
     *     the declaring class ({@link Blueprint}), or for the whole app when that class belongs to none}
     */
    String blueprint() default "";

    /**
     * {@return true to run for every request of the app although the declaring class belongs to a blueprint
     *     (Flask's {@code bp.before_app_request}); false (the default) to follow {@link #blueprint()}}
     */
    boolean appRequest() default false;
}
