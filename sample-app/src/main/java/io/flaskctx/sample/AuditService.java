package io.flaskctx.sample;

import io.flaskctx.Flask;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Work on Spring's task executor. flaskctx's task decorator runs it with the caller's contexts, so it reads the
 * user the before hook put in {@code g}, with no parameter passed; the request tears down once this is done too.
 */
@Service
public class AuditService {

    private static final Logger log = LoggerFactory.getLogger(AuditService.class);

    @Async
    public CompletableFuture<String> describeUser() {
        User user = Flask.g().get(User.KEY);
        // With flaskctx.logging.mdc-keys=user (the tracing profile) this line carries the request's user
        log.info("audit: describing the user of the request");
        return CompletableFuture.completedFuture(user.name() + " seen by @Async on " + Thread.currentThread().getName());
    }
}
