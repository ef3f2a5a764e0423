package io.flaskctx.autoconfigure.webmvcslice;

import io.flaskctx.AfterRequest;
import io.flaskctx.BeforeRequest;
import io.flaskctx.G;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/** Hooks on a plain {@code @Component}, as applications write them; not a type a {@code @WebMvcTest} includes. */
@Component
class SliceHooks {

    @BeforeRequest
    void loadUser(G g) {
        g.set("user", "from-before-hook");
    }

    @AfterRequest
    void stamp(HttpServletResponse response) {
        response.setHeader("X-Hooked", "yes");
    }
}
