package io.flaskctx.bench;

import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.web.FlaskRequestFilter;
import io.flaskctx.web.RequestContextInterceptor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Row 7, the starter's web work per request, what {@code benchmarks/http.sh} measures through Tomcat, without
 * Tomcat: one {@code GET /ping} through the servlet-level steps Spring MVC runs around a {@code @ResponseBody}
 * handler (the async manager looked up, the interceptors' {@code preHandle}, the body written and flushed, which
 * commits the response, {@code postHandle} and {@code afterCompletion}), in the two legs of {@code http.sh}:
 * <ul>
 *   <li>{@link #flaskctx()}: {@link FlaskRequestFilter} around that chain, with {@link RequestContextInterceptor}
 *       as its interceptor, and the bench hooks: a before hook that puts the user named by {@code X-User} in
 *       {@code g}, an after hook that names it in the response's {@code X-User} header; a cookie session nobody
 *       touches (a secret key, no cookie); the meters counting, as with the actuator;</li>
 *   <li>{@link #plainSpring()} (the baseline): the same work the plain Spring way, a {@code HandlerInterceptor}
 *       that keeps the user in a request attribute and sets the header (the sample's {@code BenchInterceptor}).</li>
 * </ul>
 * Each operation makes its request and response, as a container hands each request fresh (recycled) ones; both
 * legs pay that alike, so the difference of the two rows is the starter's own work per request, the figure
 * {@code http.sh} cannot resolve at this machine's 60-80 µs a request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class WebRequestBenchmark {

    private static final String USER_HEADER = "X-User";
    private static final G.Key<User> USER = G.Key.of("user", User.class);
    private static final String USER_ATTRIBUTE = WebRequestBenchmark.class.getName() + ".user";
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);
    private static final Object HANDLER = new Object();

    private final MockServletContext servletContext = new MockServletContext();
    private FlaskRequestFilter filter;
    private FilterChain flaskctxChain;
    private FilterChain springChain;

    @Setup(Level.Trial)
    public void setUp() {
        FlaskApp app = new FlaskApp("bench");
        app.config().put("SECRET_KEY", "a0c7f3e1b9d24f6a8e5c1d3b7f9a2e4c");
        app.setCountingContexts(true);
        G g = G.proxy();
        app.beforeRequest(request -> {
            g.set(USER, userOf(request));
            return null;
        });
        app.afterRequest(response -> {
            User user = g.get(USER);
            if (user != null) {
                response.setHeader(USER_HEADER, user.name());
            }
        });
        filter = new FlaskRequestFilter(app);
        flaskctxChain = chain(new RequestContextInterceptor(filter, List::of, () -> null));
        springChain = chain(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                request.setAttribute(USER_ATTRIBUTE, userOf(request));
                response.setHeader(USER_HEADER, ((User) request.getAttribute(USER_ATTRIBUTE)).name());
                return true;
            }
        });
        MockHttpServletResponse checked = new MockHttpServletResponse();
        try {
            filter.doFilter(request(), checked, flaskctxChain);
        } catch (IOException | ServletException e) {
            throw new IllegalStateException(e);
        }
        if (!"bench".equals(checked.getHeader(USER_HEADER)) || !"pong".equals(contentOf(checked))) {
            throw new IllegalStateException("The flaskctx leg did not answer as http.sh's leg A does: "
                    + checked.getHeader(USER_HEADER) + ", " + contentOf(checked));
        }
    }

    private static String contentOf(MockHttpServletResponse response) {
        try {
            return response.getContentAsString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@code DispatcherServlet} does around a {@code @ResponseBody} handler, with one interceptor. */
    private static FilterChain chain(HandlerInterceptor interceptor) {
        return (servletRequest, servletResponse) -> {
            HttpServletRequest request = (HttpServletRequest) servletRequest;
            HttpServletResponse response = (HttpServletResponse) servletResponse;
            WebAsyncUtils.getAsyncManager(request);
            try {
                if (!interceptor.preHandle(request, response, HANDLER)) {
                    return;
                }
                response.setContentType("text/plain;charset=UTF-8");
                response.getOutputStream().write(PONG);
                response.getOutputStream().flush();
                interceptor.postHandle(request, response, HANDLER, null);
                interceptor.afterCompletion(request, response, HANDLER, null);
            } catch (IOException | ServletException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ServletException(e);
            }
        };
    }

    private static User userOf(HttpServletRequest request) {
        String name = request.getHeader(USER_HEADER);
        return new User(name == null || name.isBlank() ? "anonymous" : name);
    }

    private MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext, "GET", "/ping");
        request.addHeader(USER_HEADER, "bench");
        return request;
    }

    @Benchmark
    public Object plainSpring() throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        springChain.doFilter(request(), response);
        return response;
    }

    @Benchmark
    public Object flaskctx() throws IOException, ServletException {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(), response, flaskctxChain);
        return response;
    }
}
