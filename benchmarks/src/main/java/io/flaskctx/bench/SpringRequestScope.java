package io.flaskctx.bench;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.annotation.RequestScope;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * A small annotation-config context holding one {@code @RequestScope} bean, and the request attributes that
 * Spring's {@code RequestContextFilter} would bind to the serving thread; the caller binds them.
 */
final class SpringRequestScope implements AutoCloseable {

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        @RequestScope
        RequestScopedUser requestScopedUser() {
            return new RequestScopedUser();
        }
    }

    private final AnnotationConfigApplicationContext context;
    private final ServletRequestAttributes attributes;

    SpringRequestScope() {
        context = new AnnotationConfigApplicationContext();
        // A plain (non-web) context knows no request scope until told, as a web context would do itself.
        context.getBeanFactory().registerScope(WebApplicationContext.SCOPE_REQUEST,
                new org.springframework.web.context.request.RequestScope());
        context.register(Beans.class);
        context.refresh();
        attributes = new ServletRequestAttributes(new MockHttpServletRequest("GET", "/whoami"));
    }

    /** @return the scoped proxy, as it would be injected into a singleton */
    RequestScopedUser proxy() {
        return context.getBean(RequestScopedUser.class);
    }

    ServletRequestAttributes attributes() {
        return attributes;
    }

    @Override
    public void close() {
        attributes.requestCompleted();
        context.close();
    }
}
