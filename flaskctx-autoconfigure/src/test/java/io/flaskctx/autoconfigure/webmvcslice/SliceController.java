package io.flaskctx.autoconfigure.webmvcslice;

import io.flaskctx.G;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reads what the before hook put in {@code g}. */
@RestController
class SliceController {

    private final G g;

    SliceController(G g) {
        this.g = g;
    }

    @GetMapping("/user")
    String user() {
        return String.valueOf(g.get("user"));
    }
}
