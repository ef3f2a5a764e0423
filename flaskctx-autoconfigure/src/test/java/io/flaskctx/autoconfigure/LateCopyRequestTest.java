package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.ContextStats;
import io.flaskctx.Flask;
import io.flaskctx.TeardownRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Work a request starts and does not wait for ({@code @Async}, fire and forget) still runs in the request's
 * context after the response is complete, when Tomcat has recycled the request object. It, and the teardown
 * that runs after it, must still read the request (as a Flask copy can): a snapshot taken as the request ended.
 * A request that leaves no copy behind keeps its live request to the end, and pays for no snapshot.
 */
@SpringBootTest(classes = LateCopyRequestTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LateCopyRequestTest {

    @LocalServerPort
    int port;

    @Autowired
    App.Seen seen;

    @Autowired
    App.LateWork lateWork;

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("X-Token", token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void workThatOutlivesTheResponseAndItsTeardownReadTheRequestAfterTomcatRecycledIt() throws Exception {
        long teardownErrors = ContextStats.teardownErrors();
        lateWork.release = new CountDownLatch(1);

        assertThat(get("/late?q=1", "late-1").body()).isEqualTo("accepted");
        lateWork.release.countDown();

        assertThat(seen.late.poll(5, TimeUnit.SECONDS)).as("what the late task read")
                .isEqualTo("GET /late?q=1 q=1 X-Token=late-1 attribute=set by the view");
        String teardown = seen.teardowns.poll(5, TimeUnit.SECONDS);
        assertThat(teardown).as("the teardown, after the late task").startsWith("GET /late X-Token=late-1 on task-")
                .endsWith("DetachedRequest");
        assertThat(ContextStats.teardownErrors()).isEqualTo(teardownErrors);
    }

    @Test
    void aRequestThatLeavesNoCopyBehindTearsDownWithItsLiveRequest() throws Exception {
        assertThat(get("/now", "now-1").body()).isEqualTo("done");

        String teardown = seen.teardowns.poll(5, TimeUnit.SECONDS);
        assertThat(teardown).startsWith("GET /now X-Token=now-1 on http-").doesNotContain("DetachedRequest");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({App.Views.class, App.LateWork.class, App.Seen.class})
    static class App {

        @RestController
        static class Views {
            private final LateWork lateWork;

            Views(LateWork lateWork) {
                this.lateWork = lateWork;
            }

            @GetMapping("/late")
            String late(HttpServletRequest request) {
                request.setAttribute("late.note", "set by the view");
                lateWork.readTheRequestLater(request);
                return "accepted";
            }

            @GetMapping("/now")
            String now() {
                return "done";
            }
        }

        @Service
        static class LateWork {
            volatile CountDownLatch release = new CountDownLatch(0);
            private final Seen seen;

            LateWork(Seen seen) {
                this.seen = seen;
            }

            /** @param live the container's request object, to see when Tomcat has recycled it */
            @Async
            public void readTheRequestLater(HttpServletRequest live) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                    // the client has its response; wait until Tomcat has recycled the request object too
                    for (int i = 0; i < 500 && !recycled(live); i++) {
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (!recycled(live)) {
                    seen.late.add("the request was never recycled: nothing to check");
                    return;
                }
                HttpServletRequest request = Flask.request();
                seen.late.add(request.getMethod() + " " + request.getRequestURI() + "?" + request.getQueryString()
                        + " q=" + request.getParameter("q") + " X-Token=" + request.getHeader("X-Token") + " attribute="
                        + request.getAttribute("late.note"));
            }
        }

        private static boolean recycled(HttpServletRequest live) {
            try {
                live.getMethod();
                return false;
            } catch (IllegalStateException recycled) {
                return true;
            }
        }

        static class Seen {
            final BlockingQueue<String> late = new LinkedBlockingQueue<>();
            final BlockingQueue<String> teardowns = new LinkedBlockingQueue<>();

            @TeardownRequest
            void ended(HttpServletRequest request) {
                teardowns.add(request.getMethod() + " " + request.getRequestURI() + " X-Token="
                        + request.getHeader("X-Token") + " on " + Thread.currentThread().getName() + " "
                        + request.getClass().getSimpleName());
            }
        }
    }
}
