package io.flaskctx.sample;

import io.flaskctx.FlaskApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Work outside any request (a script, a job, a test) pushing an app context by hand, the Java form of Flask's
 * {@code with app.app_context():}. As a runner it already runs inside an app context that flaskctx pushed for it
 * (like a Flask CLI command); the one pushed here nests inside, with its own {@code g} and connection, as a nested
 * {@code with} block does in Flask. Runs once at start-up; {@code sample.offline-job.enabled=false} turns it off.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.offline-job.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class OfflineJob implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(OfflineJob.class);

    private final FlaskApp app;
    private final Connection connection;
    private volatile String result;

    public OfflineJob(FlaskApp app, Connection connection) {
        this.app = app;
        this.connection = connection;
    }

    @Override
    public void run(String... args) {
        try (var ctx = app.appContext().push()) {
            // While ctx is pushed, ctx.g() is the g that Flask.g() returns on this thread.
            ctx.g().set(User.KEY, new User("scheduler"));
            // The app-context-scoped connection works here too: no request needed, only a pushed context.
            result = new MailDigest().compose() + "; " + connection.query("select * from outbox");
        } // popped here: the teardown_appcontext hooks run (the connection closes), and the thread holds nothing
        log.info("offline job: {}", result);
    }

    /** @return what the last run produced, or null before the first run */
    public String result() {
        return result;
    }
}
