package io.flaskctx.sample;

import io.flaskctx.Flask;
import io.flaskctx.scope.AppContextScope;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The seeds' {@code SqlHelper} idea, as a Spring bean: one "database connection" per app context, opened on first
 * use and closed at that context's teardown; a nested context gets its own. In Flask this is {@code g.db =
 * connect()} plus {@code teardown_appcontext(close_db)}. Injected into singletons as a scoped proxy.
 */
@Component
@AppContextScope
public class Connection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final AtomicInteger opened = new AtomicInteger();

    private final int id = opened.incrementAndGet();

    public Connection() {
        log.info("connection {} opened for '{}'", id, Flask.hasAppContext() ? Flask.currentApp().name() : "no app");
    }

    /** A stand-in for a query. */
    public String query(String sql) {
        return "connection " + id + " ran: " + sql;
    }

    @Override
    public void close() {
        log.info("connection {} closed", id);
    }
}
