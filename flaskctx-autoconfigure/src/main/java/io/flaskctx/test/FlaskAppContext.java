package io.flaskctx.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test inside an app context, as a Flask test does inside {@code with app.app_context():}, and fails
 * a test that leaves any context pushed, naming the line that pushed it (push sites are captured during the
 * test). Test methods may take the pushed {@code AppContext} or its {@code FlaskApp} as parameters.
 *
 * <p>The app is the {@code FlaskApp} bean of the test's Spring context ({@code @SpringBootTest},
 * {@code @WebMvcTest}); in a plain unit test, the value of a {@code FlaskApp} field of the test, else a new app
 * named {@link #value()}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FlaskAppContextExtension.class)
public @interface FlaskAppContext {

    /**
     * {@return the name of the app to create when the test has neither a Spring context nor a FlaskApp field}
     */
    String value() default "test";
}
