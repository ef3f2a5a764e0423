package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code flask.cli.with_appcontext}, for any Spring bean: each call of the annotated method (or of every
 * public method of the annotated class or interface) runs inside an app context, so that {@code current_app} and
 * {@code g} work in jobs, message listeners and other work no web request starts.
 *
 * <p>The context is pushed only when no app context of that app is current already: a call from inside a request
 * (or from another such method) reuses the caller's context, its {@code g}, and leaves its teardown to the caller.
 * A pushed context is popped when the call returns, and its teardown-appcontext hooks receive the exception that
 * escaped the call, or null.
 *
 * <p>The starter applies it through a Spring AOP proxy, so only calls through the bean reference are wrapped (not
 * {@code this.method()}); a {@code private}, {@code final} or {@code static} method cannot be advised and stops
 * start-up with a report naming it, as does an {@link #app()} nobody declared.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface WithAppContext {

    /**
     * {@return the name of the app whose context the call needs (see {@code flaskctx.apps}); empty (the default) for
     * the main app}
     */
    String app() default "";
}
