package io.flaskctx.sample.pages;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Blueprint;
import io.flaskctx.ContextProcessor;
import io.flaskctx.Flask;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The blueprint {@code admin}, nested in {@code pages}: its before hook sends anyone not logged in to the login
 * form, for every page of the blueprint and none other. Not to be confused with the mounted app {@code admin}
 * under {@code /admin} (flaskctx.apps.admin): that one is another app with its own config; this is a part of the
 * main app.
 */
@Blueprint(value = "admin", parent = "pages")
@Controller
public class AdminPages {

    /**
     * Flask's {@code login_required}, as a blueprint before hook.
     *
     * @return a redirect to the login form when nobody is logged in, else null (the page renders)
     */
    @BeforeRequest
    public ResponseEntity<Void> loginRequired() {
        if (Flask.session().get("user") != null) {
            return null;
        }
        Flask.flash("Please log in to see that page.", "error");
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/pages/login")).build();
    }

    /**
     * A context processor of this blueprint only: its pages show which blueprints served them.
     *
     * @return the variables added to the blueprint's templates
     */
    @ContextProcessor
    public Map<String, Object> blueprintNames() {
        return Map.of("blueprints", Flask.blueprints());
    }

    /** @return the admin page */
    @GetMapping("/pages/admin")
    public String admin() {
        return "pages/admin";
    }
}
