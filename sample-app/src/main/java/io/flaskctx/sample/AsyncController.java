package io.flaskctx.sample;

import io.flaskctx.Flask;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;

/**
 * One endpoint per async style. Each reads the user the before hook loaded into {@code g}, on another thread:
 * the contexts travel with the work, and the request's teardown runs once, after the work is done.
 */
@RestController
@RequestMapping("/async")
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class AsyncController {

    private final AuditService audit;
    private final Executor executor;

    public AsyncController(AuditService audit, @Qualifier("applicationTaskExecutor") Executor executor) {
        this.audit = audit;
        this.executor = executor;
    }

    /** Spring MVC runs the Callable on its async executor, with the request's contexts. */
    @GetMapping("/callable")
    public Callable<String> callable() {
        return () -> user() + " seen by a Callable on " + Thread.currentThread().getName();
    }

    /** The same with a timeout of its own. */
    @GetMapping("/web-async-task")
    public WebAsyncTask<String> webAsyncTask() {
        return new WebAsyncTask<>(5_000L, () -> user() + " seen by a WebAsyncTask on " + Thread.currentThread().getName());
    }

    /** An @Async method: the task decorator carries the contexts. */
    @GetMapping("/at-async")
    public CompletableFuture<String> atAsync() {
        return audit.describeUser();
    }

    /** Work you schedule yourself: copy the request context explicitly (Flask's copy_current_request_context). */
    @GetMapping("/deferred")
    public DeferredResult<String> deferred() {
        DeferredResult<String> result = new DeferredResult<>(5_000L);
        CompletableFuture.supplyAsync(Flask.copyCurrentRequestContext().wrapSupplier(
                () -> user() + " seen by copied work on " + Thread.currentThread().getName()), executor)
                .whenComplete((text, error) -> {
                    if (error != null) {
                        result.setErrorResult(error);
                    } else {
                        result.setResult(text);
                    }
                });
        return result;
    }

    private static String user() {
        return Flask.g().get(User.KEY).name();
    }
}
