package io.flaskctx.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@link BenchHooks}' work done the plain Spring way, for {@code benchmarks/http.sh}'s leg without flaskctx
 * ({@code flaskctx.enabled=false} and {@code sample.bench-hooks.enabled=true}): the same user, made from the
 * same header, kept in a request attribute instead of {@code g}, and the same response header. Both happen in
 * {@code preHandle}: after the handler a {@code @ResponseBody} answer is already committed, so that is where a
 * Spring app sets a header that depends on the request only.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.bench-hooks.enabled")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", havingValue = false)
public class BenchInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    /** The request attribute that holds the {@link User}, as {@code g} does with flaskctx. */
    static final String USER_ATTRIBUTE = BenchInterceptor.class.getName() + ".user";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        User user = BenchHooks.userOf(request);
        request.setAttribute(USER_ATTRIBUTE, user);
        // Read back, as BenchHooks' after hook reads g.
        response.setHeader(BenchHooks.USER_HEADER, ((User) request.getAttribute(USER_ATTRIBUTE)).name());
        return true;
    }
}
