package io.flaskctx.sample;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;

/**
 * Plain code, not a Spring bean, and given nothing: like Flask code using {@code current_app} and {@code g},
 * it finds the app and the user on the calling thread. So it works in a request and in a script alike, as
 * long as someone pushed an app context; without one it throws {@code OutsideContextException}.
 */
final class MailDigest {

    String compose() {
        FlaskApp app = Flask.currentApp();
        User user = Flask.g().get(User.KEY);
        return "digest for %s from %s via %s".formatted(user.name(), app.name(),
                app.config().get("MAIL_SERVER", String.class));
    }
}
