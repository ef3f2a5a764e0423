package io.flaskctx.autoconfigure;

import io.flaskctx.FlaskApp;
import io.flaskctx.FlaskApps;
import io.flaskctx.web.FlaskRequestFilter;
import io.flaskctx.web.RequestContextInterceptor;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.filter.OrderedFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Per-request contexts for Spring MVC: the {@link FlaskRequestFilter} that gives the requests on the paths of
 * {@code flaskctx.web.*} their contexts, and the {@link RequestContextInterceptor} that runs their before hooks.
 */
@AutoConfiguration(after = FlaskAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
@ConditionalOnBean(FlaskApp.class)
public class FlaskWebMvcAutoConfiguration {

    /**
     * After every filter that wraps the request (Boot's convention: those are ordered at most
     * {@link OrderedFilter#REQUEST_WRAPPER_FILTER_MAX_ORDER}: Spring Session's, Spring Security's), so that
     * {@code Flask.request()} is the request the application sees (its {@code HttpSession}, its user), as a Flask
     * app sees the environ its WSGI middleware prepared; before filters of the default order, which may then use
     * the contexts.
     */
    static final int FILTER_ORDER = OrderedFilter.REQUEST_WRAPPER_FILTER_MAX_ORDER + 50;

    /** First among interceptors: the others may use the contexts. */
    static final int INTERCEPTOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    /** Creates the auto-configuration; Spring Boot does this. */
    public FlaskWebMvcAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    FlaskRequestFilter flaskRequestFilter(FlaskApps apps, FlaskProperties properties) {
        List<String> include = validPatterns("flaskctx.web.include-patterns", properties.getWeb().getIncludePatterns());
        List<String> exclude = validPatterns("flaskctx.web.exclude-patterns", properties.getWeb().getExcludePatterns());
        return new FlaskRequestFilter(apps, include, exclude);
    }

    @Bean
    @ConditionalOnMissingBean(name = "flaskRequestFilterRegistration")
    FilterRegistrationBean<FlaskRequestFilter> flaskRequestFilterRegistration(FlaskRequestFilter filter) {
        FilterRegistrationBean<FlaskRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    RequestContextInterceptor flaskRequestContextInterceptor(FlaskRequestFilter filter,
            ObjectProvider<RequestMappingHandlerAdapter> handlerAdapter, BeanFactory beans) {
        return new RequestContextInterceptor(filter, () -> handlerAdapter.getObject().getMessageConverters(),
                () -> beans.getBean("handlerExceptionResolver", HandlerExceptionResolver.class));
    }

    @Bean
    WebMvcConfigurer flaskWebMvcConfigurer(RequestContextInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).order(INTERCEPTOR_ORDER);
            }
        };
    }

    private static List<String> validPatterns(String property, List<String> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            String name = property + "[" + i + "]";
            if (pattern == null || pattern.isBlank() || !pattern.startsWith("/")) {
                throw new InvalidFlaskctxConfigurationException(name + " is '" + pattern + "', which is not a path"
                        + " pattern: patterns start with '/'.", "Write " + name + " as a Spring MVC path pattern"
                        + " such as /api/** or /orders/{id}.");
            }
            try {
                PathPatternParser.defaultInstance.parse(pattern);
            } catch (PatternParseException e) {
                throw new InvalidFlaskctxConfigurationException(name + " is '" + pattern + "', which is not a valid"
                        + " path pattern: " + e.getMessage() + ".", "Write " + name + " as a Spring MVC path pattern"
                        + " such as /api/** or /orders/{id} ('**' only at the end, braces balanced).");
            }
        }
        return patterns;
    }
}
