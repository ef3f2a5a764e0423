package io.flaskctx.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.flaskctx.FlaskApp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/** The interceptor alone: before hooks once, for a handler or for no handler, and its clear failure without the filter. */
class RequestContextInterceptorTest {

    private final FlaskApp app = new FlaskApp("unit");
    private final FlaskRequestFilter filter = new FlaskRequestFilter(app);
    private final HandlerExceptionResolver springResolvers = mock(HandlerExceptionResolver.class);
    private final RequestContextInterceptor interceptor = new RequestContextInterceptor(filter,
            () -> List.of(new StringHttpMessageConverter()), () -> springResolvers);
    private final List<String> events = new ArrayList<>();
    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders");
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final Exception notAllowed = new HttpRequestMethodNotSupportedException("POST");

    @Test
    void withoutTheFilterARequestFailsNamingTheFilterAndTheFix() {
        assertThatThrownBy(() -> interceptor.preHandle(request, response, new Object()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FlaskRequestFilter did not run")
                .hasMessageContaining("addFilters");
    }

    @Test
    void theBeforeHooksRunOnceThoughSpringMvcAsksOnEachDispatch() throws Exception {
        app.beforeRequest(r -> {
            events.add("before_request");
            return null;
        });
        filter.doFilter(request, response, (req, res) -> {
            try {
                assertThat(interceptor.preHandle(request, response, new Object())).isTrue();
                assertThat(interceptor.preHandle(request, response, new Object())).as("a forward").isTrue();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(events).containsExactly("before_request");
    }

    @Test
    void aRequestWithoutAHandlerRunsTheBeforeHooksAndLeavesTheRoutingFailureToSpring() throws Exception {
        app.beforeRequest(r -> {
            events.add("before_request");
            return null;
        });
        filter.doFilter(request, response, (req, res) -> {
            assertThat(interceptor.resolveException(request, response, null, notAllowed)).isNull();
            assertThat(interceptor.resolveException(request, response, null, notAllowed)).isNull();
        });
        assertThat(events).containsExactly("before_request");
    }

    @Test
    void aHandlersExceptionIsNotItsBusiness() throws Exception {
        app.beforeRequest(r -> {
            events.add("before_request");
            return null;
        });
        filter.doFilter(request, response,
                (req, res) -> assertThat(interceptor.resolveException(request, response, new Object(), notAllowed))
                        .isNull());
        assertThat(events).isEmpty();
    }

    @Test
    void aBeforeHookAnswerReplacesTheRoutingFailure() throws Exception {
        app.beforeRequest(r -> "short");
        filter.doFilter(request, response, (req, res) -> {
            ModelAndView answered = interceptor.resolveException(request, response, null, notAllowed);
            assertThat(answered).isNotNull();
            assertThat(answered.isEmpty()).isTrue();
        });
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("short");
    }

    @Test
    void aBeforeHookFailureGoesToTheApplicationsResolversAndIsRethrownWhenNoneTakesIt() throws Exception {
        IllegalArgumentException failure = new IllegalArgumentException("before failed");
        app.beforeRequest(r -> {
            throw failure;
        });
        ModelAndView handled = new ModelAndView("error-view");
        when(springResolvers.resolveException(any(), any(), isNull(), any())).thenReturn(handled, (ModelAndView) null);
        filter.doFilter(request, response,
                (req, res) -> assertThat(interceptor.resolveException(request, response, null, notAllowed))
                        .isSameAs(handled));
        MockHttpServletRequest second = new MockHttpServletRequest("POST", "/orders");
        assertThatThrownBy(() -> filter.doFilter(second, new MockHttpServletResponse(),
                (req, res) -> interceptor.resolveException(second, response, null, notAllowed))).isSameAs(failure);
    }
}
