package io.flaskctx.scope;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.core.annotation.AliasFor;

/**
 * Puts a bean in the {@code appcontext} scope: one instance per app context, created on first use and destroyed
 * ({@code @PreDestroy}, {@code DisposableBean}, {@code AutoCloseable}) at that context's teardown, in reverse
 * creation order. It is the Flask pattern {@code g.db = connect()} with {@code teardown_appcontext(close_db)},
 * as a Spring bean: unlike {@code @RequestScope}, it works wherever an app context is pushed, in web requests,
 * jobs, tests and copies of a context (which see the same instances; destruction waits for them).
 *
 * <p>A scoped proxy is the default, so the bean can be injected into singletons.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Scope(AppContextBeanScope.NAME)
public @interface AppContextScope {

    /**
     * {@return how the scoped bean is proxied; a class-based proxy by default}
     */
    @AliasFor(annotation = Scope.class)
    ScopedProxyMode proxyMode() default ScopedProxyMode.TARGET_CLASS;
}
