package io.flaskctx.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.flaskctx.ContextOrigin;
import io.flaskctx.ContextStats;
import io.flaskctx.ContextType;
import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.G;
import io.flaskctx.TeardownAppContext;
import io.flaskctx.WithAppContext;
import io.flaskctx.scope.AppContextScope;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.core.JmsTemplate;

/**
 * {@code @WithAppContext} on JMS listener methods, against a real broker started inside the build (Boot's embedded
 * ActiveMQ Artemis, in-VM: no network): each message gets its own app context and g, one teardown, and a listener
 * that throws passes its exception to the teardown while the broker redelivers the message.
 */
@SpringBootTest(classes = JmsListenerAppContextTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"flaskctx.app-name=shop", "spring.autoconfigure.exclude=", "spring.artemis.mode=embedded",
                "spring.jms.listener.session.transacted=true"})
class JmsListenerAppContextTest {

    private static final int MESSAGES = 100;

    @Autowired
    JmsTemplate jms;

    Listener listener;

    @Autowired
    void listener(Listener proxied) {
        // the bean behind flaskctx's proxy: the test reads its fields, which the proxy does not share
        this.listener = org.springframework.test.util.AopTestUtils.getUltimateTargetObject(proxied);
    }

    @Autowired
    FlaskApp app;

    @Test
    void eachMessageGetsItsOwnContextGAndConnectionAndOneTeardown() throws Exception {
        long pushed = ContextStats.pushed(app, ContextOrigin.METHOD);
        for (int i = 0; i < MESSAGES; i++) {
            jms.convertAndSend("orders", "order-" + i);
        }
        assertThat(listener.ordersTornDown.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.connectionsClosed.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.problems).isEmpty();
        assertThat(listener.orders).hasSize(MESSAGES);
        assertThat(listener.orderTeardowns.get()).as("one teardown per message").isEqualTo(MESSAGES);
        assertThat(listener.connections).as("one @AppContextScope connection per message").hasSize(MESSAGES);
        assertThat(ContextStats.pushed(app, ContextOrigin.METHOD) - pushed).isEqualTo(MESSAGES);
        assertThat(ContextStats.active(app, ContextType.APP)).as("nothing left on the container's threads").isZero();
    }

    @Test
    void aListenerThatThrowsPassesItsExceptionToTeardownAndTheMessageIsRedelivered() throws Exception {
        jms.convertAndSend("payments", "pay-1");
        assertThat(listener.paymentsTornDown.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.payments).containsExactly("pay-1 redelivered=false", "pay-1 redelivered=true");
        assertThat(listener.paymentTeardowns).containsExactly("error=payment service down g=[payment]",
                "error=null g=[payment]");
        assertThat(listener.problems).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Listener.class)
    static class App {
        @Bean
        Counts counts(FlaskApp app) {
            app.setCountingContexts(true);
            return new Counts();
        }

        @Bean
        @AppContextScope
        Connection connection(Counts counts) {
            return new Connection(counts);
        }
    }

    static class Counts {
        final AtomicInteger ids = new AtomicInteger();
    }

    static class Connection implements AutoCloseable {
        final int id;
        private final Counts counts;
        volatile Runnable onClose = () -> { };

        Connection(Counts counts) {
            this.counts = counts;
            this.id = counts.ids.incrementAndGet();
        }

        int id() {
            return id;
        }

        void onClose(Runnable action) {
            onClose = action;
        }

        @Override
        public void close() {
            onClose.run();
        }
    }

    static class Listener {
        final List<String> problems = new CopyOnWriteArrayList<>();
        final Set<String> orders = ConcurrentHashMap.newKeySet();
        final Set<Integer> connections = ConcurrentHashMap.newKeySet();
        final CountDownLatch connectionsClosed = new CountDownLatch(MESSAGES);
        final CountDownLatch ordersTornDown = new CountDownLatch(MESSAGES);
        final AtomicInteger orderTeardowns = new AtomicInteger();
        final List<String> payments = new CopyOnWriteArrayList<>();
        final List<String> paymentTeardowns = new CopyOnWriteArrayList<>();
        final CountDownLatch paymentsTornDown = new CountDownLatch(2);
        private final Connection connection;

        Listener(Connection connection) {
            this.connection = connection;
        }

        @JmsListener(destination = "orders")
        @WithAppContext
        void onOrder(String order) {
            if (!Flask.g().names().isEmpty()) {
                problems.add(order + " found g holding " + Flask.g().names());
            }
            Flask.g().set("order", order);
            orders.add(order);
            int id = connection.id();
            if (!connections.add(id)) {
                problems.add(order + " got the connection of another message");
            }
            connection.onClose(connectionsClosed::countDown);
        }

        @JmsListener(destination = "payments")
        @WithAppContext
        void onPayment(Message message) throws JMSException {
            String payment = ((TextMessage) message).getText();
            if (!Flask.g().names().isEmpty()) {
                problems.add(payment + " found g holding " + Flask.g().names());
            }
            Flask.g().set("payment", payment);
            payments.add(payment + " redelivered=" + message.getJMSRedelivered());
            if (!message.getJMSRedelivered()) {
                throw new IllegalStateException("payment service down");
            }
        }

        @TeardownAppContext
        void teardown(Throwable error, G g) {
            if (g.contains("order")) {
                if (error != null) {
                    problems.add("teardown of " + g.get("order") + " got " + error);
                }
                orderTeardowns.incrementAndGet();
                ordersTornDown.countDown();
            } else if (g.contains("payment")) {
                Throwable cause = error;
                while (cause != null && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                paymentTeardowns.add("error=" + (cause == null ? null : cause.getMessage()) + " g=" + g.names());
                paymentsTornDown.countDown();
            }
        }
    }
}
