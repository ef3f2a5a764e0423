package io.flaskctx.autoconfigure.reports;

import io.flaskctx.Flask;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A controller of the blueprint its package declares. */
@RestController
public class ReportsController {

    /** @return the request's blueprints, innermost first */
    @GetMapping("/reports")
    public List<String> blueprints() {
        return Flask.blueprints();
    }
}
