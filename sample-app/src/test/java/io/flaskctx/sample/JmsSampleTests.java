package io.flaskctx.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** The jms profile: orders go through the embedded Artemis broker to a listener with an app context per message. */
@SpringBootTest(properties = {"spring.profiles.active=jms", "sample.offline-job.enabled=false",
        "sample.digest.enabled=false"})
@AutoConfigureMockMvc
class JmsSampleTests {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private OrderListener listener;

    @Test
    void eachOrderIsHandledInItsOwnAppContextWithItsOwnConnection() throws Exception {
        mvc.perform(post("/orders").param("item", "book")).andExpect(content().string("queued book"));
        mvc.perform(post("/orders").param("item", "pen")).andExpect(content().string("queued pen"));
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.handled().size() >= 2);
        assertThat(listener.handled()).hasSize(2);
        assertThat(listener.handled().get(0)).startsWith("book for order-desk in shop: connection ");
        assertThat(listener.handled().get(1)).startsWith("pen for order-desk in shop: connection ");
        String first = listener.handled().get(0).replaceAll(".*(connection \\d+) ran.*", "$1");
        String second = listener.handled().get(1).replaceAll(".*(connection \\d+) ran.*", "$1");
        assertThat(first).as("one connection per message").isNotEqualTo(second);
    }
}
