package io.flaskctx.sample;

import io.flaskctx.Flask;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job with nothing pushed by hand: flaskctx gives every run of a {@code @Scheduled} method its own app
 * context (as a Flask shop's Celery {@code ContextTask} does), so the run fills {@code g}, and the plain code it calls
 * finds the app and the user; the {@code @AppContextScope} connection is this run's, closed at its teardown.
 * Runs shortly after start-up and then every {@code sample.digest.interval}; {@code sample.digest.enabled=false}
 * turns it off.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.digest.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class DigestJob {

    private static final Logger log = LoggerFactory.getLogger(DigestJob.class);

    private final Connection connection;
    private final AtomicInteger runs = new AtomicInteger();
    private volatile String result;

    public DigestJob(Connection connection) {
        this.connection = connection;
    }

    @Scheduled(initialDelayString = "${sample.digest.initial-delay:PT2S}", fixedDelayString = "${sample.digest.interval:PT1H}")
    void send() {
        Flask.g().set(User.KEY, new User("digest"));
        result = new MailDigest().compose() + "; " + connection.query("select * from outbox");
        runs.incrementAndGet();
        log.info("scheduled digest: {}", result);
    } // the run's app context pops here: teardown_appcontext hooks run, the connection closes

    /** @return what the last run produced, or null before the first */
    public String result() {
        return result;
    }

    /** @return how many runs have finished */
    public int runs() {
        return runs.get();
    }
}
