package io.flaskctx.sample;

import org.springframework.context.annotation.Profile;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sends an order to the {@code orders} queue of the {@code jms} profile's broker; {@link OrderListener} takes it. */
@RestController
@Profile("jms")
public class OrderController {

    private final JmsTemplate jms;

    public OrderController(JmsTemplate jms) {
        this.jms = jms;
    }

    @PostMapping("/orders")
    String send(@RequestParam String item) {
        jms.convertAndSend("orders", item);
        return "queued " + item;
    }
}
