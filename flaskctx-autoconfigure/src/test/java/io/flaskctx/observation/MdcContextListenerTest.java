package io.flaskctx.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The MDC listener on a hand-built app, without Spring: values follow g on the current thread, nested contexts
 * give the outer values back, and a hostile value (from a header, say) can neither forge log lines nor flood them.
 */
class MdcContextListenerTest {

    private final FlaskApp app = new FlaskApp("shop");

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    private void listen(MdcValue... formats) {
        app.addContextListener(new MdcContextListener(List.of("user", "tenant"), List.of(formats)));
    }

    @Test
    void controlCharactersCannotForgeALogLineAndLongValuesAreCut() {
        listen();
        try (var ctx = app.appContext().push()) {
            ctx.g().set("user", "mallory\r\nINFO [user=admin] granted\u0007");
            assertThat(MDC.get("user")).isEqualTo("mallory__INFO [user=admin] granted_");
            ctx.g().set("user", "x".repeat(10_000));
            assertThat(MDC.get("user")).hasSize(MdcContextListener.MAX_LENGTH);
            ctx.g().set("user", "plain alice");
            assertThat(MDC.get("user")).isEqualTo("plain alice");
        }
        assertThat(MDC.get("user")).isNull();
    }

    @Test
    void nestedContextsShowTheirOwnValuesAndWhatWasThereBeforeComesBack() {
        listen();
        MDC.put("user", "set by a filter");
        try (var outer = app.appContext().push()) {
            assertThat(MDC.get("user")).isNull(); // the context's g has no user: the MDC says so
            outer.g().set("user", "alice");
            outer.g().set("tenant", "acme");
            try (var inner = app.appContext().push()) {
                assertThat(MDC.get("user")).isNull();
                inner.g().set("user", "job");
                assertThat(MDC.get("user")).isEqualTo("job");
                assertThat(MDC.get("tenant")).isNull();
            }
            assertThat(MDC.get("user")).isEqualTo("alice");
            assertThat(MDC.get("tenant")).isEqualTo("acme");
            outer.g().pop("tenant");
            assertThat(MDC.get("tenant")).isNull();
        }
        assertThat(MDC.get("user")).isEqualTo("set by a filter");
        assertThat(MDC.get("tenant")).isNull();
    }

    @Test
    void aCopyOnAnotherThreadCarriesTheValuesAndLeavesNothingThere() throws Exception {
        listen();
        String[] seen = new String[2];
        try (var ctx = app.appContext().push()) {
            ctx.g().set("user", "alice");
            Runnable task = Flask.copyCurrentAppContext().wrap(() -> seen[0] = MDC.get("user"));
            Thread worker = new Thread(() -> {
                task.run();
                seen[1] = String.valueOf(MDC.get("user"));
            });
            worker.start();
            worker.join(5_000);
        }
        assertThat(seen).containsExactly("alice", "null");
    }

    @Test
    void aFormatThatThrowsLeavesTheKeyOutAndTheRequestGoesOn() {
        listen(MdcValue.of("user", user -> {
            throw new IllegalStateException("no name");
        }));
        try (var ctx = app.appContext().push()) {
            ctx.g().set("user", "alice");
            ctx.g().set("tenant", "acme");
            assertThat(MDC.get("user")).isNull();
            assertThat(MDC.get("tenant")).isEqualTo("acme");
        }
    }

    @Test
    void badKeysAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new MdcContextListener(List.of("user", " "), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> new MdcContextListener(List.of("user"), List.of(MdcValue.of("tenant", String::valueOf))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tenant'");
        assertThatThrownBy(() -> MdcValue.of("", String::valueOf)).isInstanceOf(IllegalArgumentException.class);
    }
}
