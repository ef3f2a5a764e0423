package io.flaskctx.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;

/**
 * In a WebFlux application flaskctx gives app contexts (jobs, listeners, {@code @WithAppContext}) but no request
 * contexts, which need Spring MVC's one thread per request; it says so once, at start-up, rather than leave the
 * user to wonder why no request hook runs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveNotice {

    static final String MESSAGE = "flaskctx: this is a WebFlux application; request contexts (Flask.request(),"
            + " request hooks, the session) are Spring MVC only, so only app contexts are available here"
            + " (@WithAppContext, @Scheduled and runner methods, app.appContext())";

    private static final Log log = LogFactory.getLog(FlaskAutoConfiguration.class);

    ReactiveNotice() {
        log.info(MESSAGE);
    }
}
