package io.flaskctx.sample;

import io.flaskctx.Flask;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Flask's {@code stream_with_context}: the body is written on another thread after the handler returned, and
 * still reads the request's {@code g} and the user the before hook loaded. Teardown runs once, when the stream
 * ends (Flask tears down twice: when the view returns and when the generator ends).
 */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class StreamController {

    @GetMapping("/stream")
    public StreamingResponseBody stream() {
        Flask.g().set("stream", "started in the handler");
        return out -> {
            for (int i = 1; i <= 3; i++) {
                String chunk = "chunk %d for %s (g.stream: %s) on %s%n".formatted(i, Flask.g().get(User.KEY).name(),
                        Flask.g().get("stream"), Thread.currentThread().getName());
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
