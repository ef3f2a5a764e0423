package io.flaskctx.sample;

import io.flaskctx.Flask;
import io.flaskctx.WithAppContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;

/**
 * A JMS listener on the embedded ActiveMQ Artemis broker of the {@code jms} profile. {@code @WithAppContext} is
 * Flask's {@code with_appcontext}: each message is handled inside its own app context, so it has its own {@code g}
 * and its own {@code @AppContextScope} connection, closed at the message's teardown; a listener that throws hands
 * its exception to the teardown hooks, and the broker redelivers the message.
 */
@Component
@Profile("jms")
public class OrderListener {

    private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

    private final Connection connection;
    private final List<String> handled = new CopyOnWriteArrayList<>();

    public OrderListener(Connection connection) {
        this.connection = connection;
    }

    @JmsListener(destination = "orders")
    @WithAppContext
    void onOrder(String order) {
        Flask.g().set(User.KEY, new User("order-desk"));
        String line = order + " for " + Flask.g().get(User.KEY).name() + " in " + Flask.currentApp().name() + ": "
                + connection.query("insert into orders values ('" + order + "')");
        handled.add(line);
        log.info("order listener: {}", line);
    }

    /** @return what the listener handled so far, in order */
    public List<String> handled() {
        return handled;
    }
}
