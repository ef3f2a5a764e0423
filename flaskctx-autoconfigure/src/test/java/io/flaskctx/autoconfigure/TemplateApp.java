package io.flaskctx.autoconfigure;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.ContextProcessor;
import io.flaskctx.Flask;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The template half of io/flaskctx/blueprint/blueprints.py in Spring, with Thymeleaf. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TemplateApp {

    /** Released by a test once it has read the first chunk of a stream. */
    static final CountDownLatch SECOND_CHUNK = new CountDownLatch(1);

    /** A filter inside flaskctx's that keeps the whole body itself and writes it when the chain returns. */
    @Bean
    FilterRegistrationBean<ShallowEtagHeaderFilter> etagFilter() {
        FilterRegistrationBean<ShallowEtagHeaderFilter> registration =
                new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
        registration.addUrlPatterns("/etag/*");
        return registration;
    }

    @Component
    @Order(0)
    static class Hooks {

        @BeforeRequest
        void user(G g) {
            g.set("user", "alice");
        }

        /** What an after hook sees of a rendered view: its length, and it may still set headers. */
        @AfterRequest
        void seeTheBody(HttpServletResponse response, HttpServletRequest request) {
            response.setHeader("X-Http-Session", String.valueOf(request.getSession(false) != null));
            String length = response.getHeader("Content-Length");
            response.setHeader("X-After-Saw-Length", length == null ? "none" : length);
            response.setHeader("X-After-Saw-Flashes", String.valueOf(Flask.session().containsKey("_flashes")));
        }

        @ContextProcessor
        Map<String, Object> first() {
            Map<String, Object> variables = new LinkedHashMap<>();
            variables.put("shared", "from first processor");
            variables.put("only_first", 1);
            return variables;
        }

        @ContextProcessor
        Map<String, Object> second() {
            return Map.of("shared", "from second processor");
        }
    }

    @Controller
    static class Pages {

        @GetMapping("/flash")
        @ResponseBody
        String flash() {
            Flask.flash("plain");
            Flask.flash("careful", "warning");
            Flask.flash("bad", "error");
            Flask.session().put("user", "alice");
            return "flashed";
        }

        @GetMapping("/show")
        String show(Model model) {
            model.addAttribute("shared", "from view");
            return "flask/globals";
        }

        @GetMapping("/show-processor")
        String showProcessor() {
            return "flask/processor";
        }

        @GetMapping({"/layout", "/etag/layout"})
        String layout() {
            return "flask/layout";
        }

        @GetMapping("/peek")
        @ResponseBody
        Map<String, Object> peek() {
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("flashes", Flask.session().get("_flashes"));
            return seen;
        }

        @GetMapping("/broken")
        String broken() {
            throw new IllegalStateException("no stock");
        }

        @ExceptionHandler(IllegalStateException.class)
        String failed(IllegalStateException failure, Model model) {
            model.addAttribute("reason", failure.getMessage());
            return "flask/error";
        }

        @GetMapping("/redirect")
        String redirect() {
            return "redirect:/layout";
        }

        @GetMapping("/chunks")
        @ResponseBody
        StreamingResponseBody chunks() {
            return out -> {
                out.write("first\n".getBytes());
                out.flush();
                try {
                    SECOND_CHUNK.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write("second\n".getBytes());
            };
        }
    }

    @Blueprint("admin")
    @Controller
    static class AdminPages {

        @GetMapping("/admin/processor")
        String processor() {
            return "flask/processor";
        }

        @ContextProcessor
        Map<String, Object> adminOnly() {
            return Map.of("shared", "from admin");
        }
    }
}
