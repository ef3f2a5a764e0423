package io.flaskctx.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Uses the app-context-scoped connection twice in one request: the same connection, closed at teardown. */
@RestController
@ConditionalOnBooleanProperty(name = "flaskctx.enabled", matchIfMissing = true)
public class ReportController {

    private final Connection connection;

    public ReportController(Connection connection) {
        this.connection = connection;
    }

    @GetMapping("/report")
    public String report() {
        return connection.query("select count(*) from orders") + "\n" + connection.query("select 1") + "\n";
    }
}
