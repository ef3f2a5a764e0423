package io.flaskctx.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Which requests get contexts: the include and exclude patterns match the path within the application as Spring
 * MVC matches its handlers, whatever a client puts in the URL.
 */
class ContextPathsTest {

    private final ContextPaths paths = new ContextPaths(List.of("/**"), List.of("/actuator/**", "/static/*.css"));

    @Test
    void theDefaultsMatchEverythingWithoutLookingAtThePath() {
        assertThat(ContextPaths.all().matches(request("/shop", "/shop/%ZZ/../;;"))).isTrue();
    }

    @Test
    void anExcludedPathIsExcludedUnderAContextPathAndWithMatrixParameters() {
        assertThat(paths.matches(request("", "/actuator/health"))).isFalse();
        assertThat(paths.matches(request("", "/actuator"))).isFalse();
        assertThat(paths.matches(request("", "/actuator//health"))).isFalse();
        assertThat(paths.matches(request("", "/actuator/%68ealth"))).isFalse();
        assertThat(paths.matches(request("/shop", "/shop/actuator/health"))).isFalse();
        assertThat(paths.matches(request("", "/actuator;jsessionid=abc/health"))).isFalse();
        assertThat(paths.matches(request("", "/static/site.css"))).isFalse();
    }

    @Test
    void otherPathsAreIncludedEvenWhenTheyOnlyLookLikeAnExcludedOne() {
        assertThat(paths.matches(request("", "/orders"))).isTrue();
        assertThat(paths.matches(request("", "/actuatorx/health"))).isTrue();
        assertThat(paths.matches(request("", "/static/deep/site.css"))).isTrue();
        assertThat(paths.matches(request("", "/ACTUATOR/health"))).as("case-sensitive, as handler mapping")
                .isTrue();
    }

    @Test
    void onlyIncludedPathsGetContexts() {
        ContextPaths api = new ContextPaths(List.of("/api/**"), List.of());
        assertThat(api.matches(request("", "/api/orders"))).isTrue();
        assertThat(api.matches(request("", "/apiary"))).isFalse();
        assertThat(api.matches(request("", "/"))).isFalse();
    }

    private static MockHttpServletRequest request(String contextPath, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setContextPath(contextPath);
        return request;
    }
}
