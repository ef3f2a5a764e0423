package io.flaskctx.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A view that fails, to show the teardown hooks running anyway and receiving the error. */
@RestController
public class FailingController {

    @GetMapping("/boom")
    public String boom() {
        throw new IllegalStateException("boom");
    }
}
