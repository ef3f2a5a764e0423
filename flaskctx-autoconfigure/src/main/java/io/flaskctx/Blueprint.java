package io.flaskctx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flask's {@code Blueprint}: makes a controller class, or every controller of a package (on its
 * {@code package-info.java}), part of the named blueprint of the app. A request whose handler belongs to a
 * blueprint runs that blueprint's hooks besides the app's, in Flask's order (see {@link FlaskApp#registerBlueprint});
 * {@link Flask#blueprint()} names it. A request no handler matched (404, 405) belongs to no blueprint.
 *
 * <p>Hook methods declared in a {@code @Blueprint} class are that blueprint's ({@code bp.before_request});
 * {@code appRequest = true} on the hook makes one app-wide ({@code bp.before_app_request}). A hook elsewhere joins
 * a blueprint with {@code blueprint = "admin"}. An annotation on the class wins over its package's.
 *
 * <p>Blueprints nest by naming their parent: {@code @Blueprint(value = "users", parent = "admin")} is Flask's
 * {@code admin.register_blueprint(users)}, whose requests have the blueprints {@code ["admin.users", "admin"]}. A
 * blueprint is a part of one app; a separate app with its own config is a mounted app ({@code flaskctx.apps}).
 */
@Target({ElementType.TYPE, ElementType.PACKAGE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Blueprint {

    /**
     * {@return the blueprint's name, unique in the app, without a dot (Flask refuses dotted names too)}
     */
    String value();

    /**
     * {@return the name of the blueprint this one is nested in, or empty (the default) for a blueprint of the app}
     */
    String parent() default "";
}
