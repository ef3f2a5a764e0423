package io.flaskctx.sample.pages;

import io.flaskctx.BeforeRequest;
import io.flaskctx.Flask;
import io.flaskctx.G;
import io.flaskctx.sample.User;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The login form of the blueprint {@code pages} (its package's): logging in puts the user in the session and
 * flashes a welcome; a wrong password flashes an error. Flask's canonical auth blueprint, in Spring MVC.
 */
@Controller
public class LoginPages {

    /** The sample's only password: a demo, not a user store. */
    static final String PASSWORD = "letmein";

    /**
     * The blueprint's before hook ({@code bp.before_request}): the logged-in user of the session becomes
     * {@code g.user} for every page; it runs after the app's hooks, which set an anonymous one.
     *
     * @param g the app context's {@code g}
     */
    @BeforeRequest
    public void loadLoggedInUser(G g) {
        Object name = Flask.session().get("user");
        if (name instanceof String user) {
            g.set(User.KEY, new User(user));
        }
    }

    /** @return the login form */
    @GetMapping("/pages/login")
    public String form() {
        return "pages/login";
    }

    /**
     * @param username who logs in
     * @param password the password
     * @return a redirect: to the admin page when the password is right, back to the form otherwise
     */
    @PostMapping("/pages/login")
    public String login(@RequestParam String username, @RequestParam String password) {
        if (username.isBlank() || !PASSWORD.equals(password)) {
            Flask.flash("Wrong user name or password.", "error");
            return "redirect:/pages/login";
        }
        Flask.session().put("user", username);
        Flask.flash("Welcome, " + username + "!", "success");
        return "redirect:/pages/admin";
    }

    /** @return a redirect to the form, logged out */
    @PostMapping("/pages/logout")
    public String logout() {
        Flask.session().remove("user");
        Flask.flash("You are logged out.", "info");
        return "redirect:/pages/login";
    }
}
