package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code @app.context_processor}: marks a method of any Spring bean that returns a {@code Map<String, ?>}
 * of variables to add to every template rendered in a request (see {@link FlaskApp#updateTemplateContext}). It
 * takes no parameters and runs once per rendered template. What the view passes wins over it; a later processor
 * wins over an earlier one (registration order: {@code @Order}, then bean order, then method name).
 *
 * <p>As with the hooks, a processor declared in a {@link Blueprint} class serves only that blueprint's requests
 * ({@code bp.context_processor}), {@code appRequest = true} makes it app-wide ({@code bp.app_context_processor}),
 * and {@code blueprint = "admin"} puts any bean's processor in that blueprint.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ContextProcessor {

    /**
     * {@return the app the processor belongs to: its name (see {@code flaskctx.apps}), {@code "*"} for every app,
     *     or empty (the default) for the main app only}
     */
    String app() default "";

    /**
     * {@return the blueprint the processor belongs to; empty (the default) for the declaring class's blueprint, or
     *     the whole app when that class belongs to none}
     */
    String blueprint() default "";

    /**
     * {@return true to serve every request of the app although the declaring class belongs to a blueprint (Flask's
     *     {@code bp.app_context_processor})}
     */
    boolean appRequest() default false;
}
