package io.flaskctx.sample;

import io.flaskctx.G;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.RestController;

/**
 * Werkzeug's {@code Local} demo over HTTP: one {@code g} bean is shared by every request thread, yet each
 * request reads back only what it wrote itself. Call it many times at once and compare.
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class IsolationController {

    /**
     * What one request saw.
     *
     * @param value what the request asked to store
     * @param g what {@code g} held after the pause
     * @param thread the server thread that served it
     */
    public record Reply(String value, String g, String thread) {
    }

    private final G g;

    public IsolationController(G g) {
        this.g = g;
    }

    @GetMapping("/isolation")
    public Reply isolation(@RequestParam String value) throws InterruptedException {
        g.set("value", value);
        // Long enough for concurrent requests to overlap: a g shared between them would be overwritten here.
        Thread.sleep(50);
        return new Reply(value, g.get("value", String.class), Thread.currentThread().getName());
    }
}
