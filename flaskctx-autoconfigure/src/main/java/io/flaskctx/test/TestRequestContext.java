package io.flaskctx.test;

import io.flaskctx.FlaskApp;
import io.flaskctx.RequestContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Flask's {@code app.test_request_context(path, method=..., headers=..., data=..., base_url=...)}: a request
 * context for a request that was never sent, backed by Spring's {@link MockHttpServletRequest}.
 *
 * <pre>{@code
 * try (var ctx = TestRequestContext.of(app, "/orders?page=2").method("POST").header("X-User", "alice")
 *         .body("{\"item\":1}", "application/json").push()) {
 *     assertThat(Flask.request().getParameter("page")).isEqualTo("2");
 * }
 * }</pre>
 *
 * <p>As in Flask, pushing it runs no before hooks (call {@code app.preprocessRequest(Flask.request())} for
 * that); popping it runs the teardown hooks, and pops the app context it pushed.
 */
public final class TestRequestContext {

    private final FlaskApp app;
    private final MockHttpServletRequest request = new MockHttpServletRequest();

    private TestRequestContext(FlaskApp app, String pathAndQuery) {
        this.app = Objects.requireNonNull(app, "app");
        request.setMethod("GET");
        request.setServerName("localhost");
        URI uri = URI.create(Objects.requireNonNull(pathAndQuery, "path"));
        request.setRequestURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            request.setQueryString(uri.getRawQuery());
            UriComponentsBuilder.fromUriString("?" + uri.getRawQuery()).build(false).getQueryParams()
                    .forEach((name, values) -> values.forEach(value -> request.addParameter(decode(name),
                            value == null ? "" : decode(value))));
        }
    }

    /**
     * {@return a builder for a GET request to that path on {@code http://localhost}}
     *
     * @param app the app whose context the request belongs to
     * @param pathAndQuery e.g. {@code /orders?page=2}
     */
    public static TestRequestContext of(FlaskApp app, String pathAndQuery) {
        return new TestRequestContext(app, pathAndQuery);
    }

    /**
     * Sets the HTTP method.
     *
     * @param method e.g. {@code POST}
     * @return this builder
     */
    public TestRequestContext method(String method) {
        request.setMethod(method);
        return this;
    }

    /**
     * Adds a header (again for several values).
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     */
    public TestRequestContext header(String name, Object value) {
        request.addHeader(name, value);
        return this;
    }

    /**
     * Adds a form or query parameter (Flask's {@code data={...}} for a form post).
     *
     * @param name the parameter name
     * @param values its values
     * @return this builder
     */
    public TestRequestContext param(String name, String... values) {
        request.addParameter(name, values);
        return this;
    }

    /**
     * Sets the body and its content type.
     *
     * @param body the body, sent as UTF-8
     * @param contentType e.g. {@code application/json}
     * @return this builder
     */
    public TestRequestContext body(String body, String contentType) {
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        request.setContentType(contentType);
        return this;
    }

    /**
     * Sets a binary body and its content type.
     *
     * @param body the body's bytes
     * @param contentType e.g. {@code application/octet-stream}
     * @return this builder
     */
    public TestRequestContext body(byte[] body, String contentType) {
        request.setContent(body);
        request.setContentType(contentType);
        return this;
    }

    /**
     * Flask's {@code base_url}: scheme, host, port and the path the app is mounted at.
     *
     * @param baseUrl e.g. {@code https://example.org/root}
     * @return this builder
     */
    public TestRequestContext baseUrl(String baseUrl) {
        URI base = URI.create(baseUrl);
        request.setScheme(base.getScheme());
        request.setSecure("https".equalsIgnoreCase(base.getScheme()));
        request.setServerName(base.getHost());
        request.setServerPort(base.getPort() != -1 ? base.getPort() : request.isSecure() ? 443 : 80);
        String root = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        request.setContextPath(root);
        request.setRequestURI(root + request.getRequestURI());
        return this;
    }

    /**
     * {@return the request being built, for settings this builder does not offer}
     */
    public MockHttpServletRequest request() {
        return request;
    }

    /**
     * {@return the request context, not yet pushed}
     */
    public RequestContext build() {
        return app.requestContext(request);
    }

    /**
     * {@return the request context, pushed: use it in try-with-resources}
     */
    public RequestContext push() {
        return build().push();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
