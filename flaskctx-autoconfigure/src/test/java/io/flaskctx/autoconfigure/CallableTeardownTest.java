package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A handler's {@code Callable} runs on the task executor, which flaskctx's task decorator also decorates. Spring
 * MVC's task ends only after it started the async dispatch, which can finish the whole request first; a copy held
 * by the decorator would then run the request's teardown late, on the executor's thread, with the request
 * already recycled by the container (found by the soak: 2 of 10⁵ async requests). Here a decorator inside
 * flaskctx's holds each task open until the client has its response, which makes that order certain: the
 * teardown must still have run on the container's thread, while the request was alive.
 */
@SpringBootTest(classes = CallableTeardownTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CallableTeardownTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Teardowns teardowns;

    @Test
    void aCallableRequestTearsDownOnTheContainerThreadEvenWhenTheExecutorTaskEndsAfterTheResponse()
            throws Exception {
        assertTeardownsOnTheContainerThread(port, teardowns);
    }

    /** Five {@code Callable} requests, each teardown checked once the client has its response. */
    static void assertTeardownsOnTheContainerThread(int port, App.Teardowns teardowns) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            App.clientHasResponse = new CountDownLatch(1);
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/callable")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("done");
            App.clientHasResponse.countDown();
            String seen = teardowns.seen.poll(5, TimeUnit.SECONDS);
            assertThat(seen).as("teardown of request " + i).isNotNull()
                    .startsWith("GET /callable on http-").doesNotContain("task-")
                    // nothing outlived the request, so the live request was used, not a snapshot of it
                    .doesNotContain("DetachedRequest");
        }
        assertThat(teardowns.seen).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({App.Views.class, App.Teardowns.class})
    static class App {

        static volatile CountDownLatch clientHasResponse = new CountDownLatch(0);

        /** Inside flaskctx's decorator (higher precedence): the executor's task returns once the client has its response. */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        TaskDecorator holdUntilTheClientHasItsResponse() {
            return task -> () -> {
                task.run();
                try {
                    clientHasResponse.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        }

        @RestController
        static class Views {
            @GetMapping("/callable")
            Callable<String> callable() {
                return () -> "done";
            }
        }

        static class Teardowns {
            final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

            @TeardownRequest
            void ended(HttpServletRequest request) {
                String what;
                try {
                    what = request.getMethod() + " " + request.getRequestURI();
                } catch (IllegalStateException recycled) {
                    what = "(recycled request)";
                }
                seen.add(what + " on " + Thread.currentThread().getName() + " " + request.getClass().getSimpleName());
            }
        }
    }
}
