package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code @app.teardown_appcontext}: marks a method of any Spring bean to run when each app context
 * is popped for the last time (after every request, and after every manual push), in reverse registration
 * order, with the app context still current. It receives the exception that ended the context, or null.
 * Every teardown hook runs even when one throws. It must return void. Parameters: {@code Throwable}, {@code
 * FlaskApp}, {@code G}.
 *
 * <p>A method with a parameter or return type outside these stops start-up with a message naming it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TeardownAppContext {

    /**
     * {@return the app the hook belongs to: its name (see {@code flaskctx.apps}), {@code "*"} for every app, or empty
     * (the default) for the main app only, as Flask's app-level hooks belong to their app}
     */
    String app() default "";
}
