package io.flaskctx.autoconfigure;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import io.flaskctx.Flask;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code Flask.request()} is the request the application sees: wrapped by the filters that wrap requests (Spring
 * Security's user, Spring Session's HttpSession), which run before flaskctx's filter, as WSGI middleware runs
 * before a Flask app.
 */
@SpringBootTest(classes = RequestWrappersTest.App.class)
@AutoConfigureMockMvc
class RequestWrappersTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theRequestContextHoldsTheRequestAsWrappedBySecurityLikeFilters() throws Exception {
        mvc.perform(get("/whoami")).andExpect(content().string("alice wrapped"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(App.Views.class)
    static class App {

        /** Where Spring Security's chain sits (-100): it wraps the request with the authenticated user. */
        @Bean
        FilterRegistrationBean<Filter> securityLikeFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) ->
                    chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
                        @Override
                        public Principal getUserPrincipal() {
                            return () -> "alice";
                        }
                    }, response));
            registration.setOrder(-100);
            return registration;
        }

        @RestController
        static final class Views {
            @GetMapping("/whoami")
            String whoami() {
                HttpServletRequest request = Flask.request();
                return request.getUserPrincipal().getName()
                        + (request instanceof HttpServletRequestWrapper ? " wrapped" : " raw");
            }
        }
    }
}
