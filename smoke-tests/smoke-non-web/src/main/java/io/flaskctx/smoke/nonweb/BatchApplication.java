package io.flaskctx.smoke.nonweb;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.WithAppContext;
import io.flaskctx.scope.AppContextScope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;

/**
 * A batch job as a newcomer writes it with only flaskctx's starter: no Spring MVC, no server. Its runner, its
 * {@code @WithAppContext} service, an {@code @AppContextScope} resource, an {@code @Async} method and a
 * teardown hook use the app-context side of flaskctx.
 */
@SpringBootApplication
@EnableAsync
public class BatchApplication {

    /**
     * Starts the job.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(BatchApplication.class, args);
    }

    /** What happened, for the test to read. */
    @Component
    public static class Journal {
        /** Lines in the order they happened. */
        public final List<String> lines = new CopyOnWriteArrayList<>();
        /** What the runner saw at start-up. */
        public volatile String runner;
    }

    /** One "connection" per app context, closed at its teardown. */
    @Component
    @AppContextScope
    public static class Connection implements AutoCloseable {
        private final Journal journal;

        /**
         * @param journal where the closing is written down
         */
        public Connection(Journal journal) {
            this.journal = journal;
        }

        /** @return this connection's identity */
        public String id() {
            return Integer.toHexString(System.identityHashCode(this));
        }

        @Override
        public void close() {
            journal.lines.add("closed " + id());
        }
    }

    /** Work that needs an app context. */
    @Component
    public static class Export {
        private final Connection connection;
        private final Mailer mailer;

        /**
         * @param connection the app context's connection
         * @param mailer work handed to another thread
         */
        public Export(Connection connection, Mailer mailer) {
            this.connection = connection;
            this.mailer = mailer;
        }

        /**
         * @param user who the export is for, kept in {@code g}
         * @return what the export saw: the app, a config value, {@code g}, the connection and the mailer's view
         * @throws Exception if the mailer fails
         */
        @WithAppContext
        public String run(String user) throws Exception {
            Flask.g().set("user", user);
            String mailed = mailer.send().get();
            return Flask.currentApp().name() + " " + Flask.currentApp().config().get("REGION") + " "
                    + Flask.g().get("user") + " " + connection.id() + " mailed:" + mailed;
        }
    }

    /** An @Async method: Boot's executor runs it with the caller's app context, copied by flaskctx's decorator. */
    @Component
    public static class Mailer {
        /** @return {@code g.user} as seen on the executor's thread */
        @Async
        public CompletableFuture<String> send() {
            return CompletableFuture.completedFuture(Flask.g().get("user") + "@" + Thread.currentThread().getName());
        }
    }

    /** Flask's {@code teardown_appcontext}. */
    @Component
    public static class Hooks {
        private final Journal journal;

        /**
         * @param journal where teardowns are written down
         */
        public Hooks(Journal journal) {
            this.journal = journal;
        }

        /**
         * @param app the app whose context ends
         */
        @TeardownAppContext
        public void teardown(FlaskApp app) {
            journal.lines.add("teardown " + app.name() + " g=" + Flask.g().get("user"));
        }
    }

    /** Runs in an app context flaskctx pushes around it, like a Flask CLI command. */
    @Component
    public static class Runner implements CommandLineRunner {
        private final Journal journal;

        /**
         * @param journal where the run is written down
         */
        public Runner(Journal journal) {
            this.journal = journal;
        }

        @Override
        public void run(String... args) {
            journal.runner = ("runner in " + (Flask.hasAppContext() ? Flask.currentApp().name() : "no app context")
                    + ", request context: " + Flask.hasRequestContext());
        }
    }
}
