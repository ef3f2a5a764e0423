package io.flaskctx.sample;

import io.flaskctx.Flask;
import java.util.concurrent.CompletableFuture;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Work on Spring's task executor. flaskctx's task decorator runs it with the caller's contexts, so it reads the
 * user the before hook put in {@code g}, with no parameter passed; the request tears down once this is done too.
 */
@Service
public class AuditService {

    @Async
    public CompletableFuture<String> describeUser() {
        User user = Flask.g().get(User.KEY);
        return CompletableFuture.completedFuture(user.name() + " seen by @Async on " + Thread.currentThread().getName());
    }
}
