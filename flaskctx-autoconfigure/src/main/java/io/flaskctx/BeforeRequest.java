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
}
