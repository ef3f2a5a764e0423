package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.propagation.FlaskContextAccessor;
import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * {@link CallableTeardownTest} with Spring's {@code ContextPropagatingTaskDecorator} beside flaskctx's, as an
 * application that propagates tracing or MDC has it: the snapshot it takes when Spring MVC submits a handler's
 * {@code Callable} must not carry flaskctx's contexts either ({@link FlaskContextAccessor}), or its copy, released
 * when the executor's task returns, would run the request's teardown late on a recycled request.
 */
@SpringBootTest(classes = {CallableTeardownTest.App.class, CallableTeardownWithSnapshotsTest.Snapshots.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CallableTeardownWithSnapshotsTest {

    @LocalServerPort
    int port;

    @Autowired
    CallableTeardownTest.App.Teardowns teardowns;

    @Test
    void contextSnapshotsLeaveSpringMvcsCallableTaskToTheInterceptorToo() throws Exception {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anyMatch(accessor -> accessor instanceof FlaskContextAccessor);
        CallableTeardownTest.assertTeardownsOnTheContainerThread(port, teardowns);
    }

    static class Snapshots {
        /** Outermost (no order): the snapshot is restored after the held task returns. */
        @Bean
        TaskDecorator contextPropagatingTaskDecorator() {
            return new ContextPropagatingTaskDecorator();
        }
    }
}
