package io.flaskctx.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cheapest request there is, flaskctx or not: {@code benchmarks/http.sh} drives it with the starter enabled
 * and with {@code flaskctx.enabled=false} to measure what the contexts and hooks cost per request.
 */
@RestController
public class PingController {

    @GetMapping("/ping")
    public String ping() {
        return "pong";
    }
}
