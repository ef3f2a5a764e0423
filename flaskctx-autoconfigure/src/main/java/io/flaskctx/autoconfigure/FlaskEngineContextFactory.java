package io.flaskctx.autoconfigure;

import io.flaskctx.Flask;
import io.flaskctx.FlaskApp;
import io.flaskctx.Session;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.context.IContext;
import org.thymeleaf.context.IEngineContext;
import org.thymeleaf.context.IEngineContextFactory;
import org.thymeleaf.context.IWebContext;
import org.thymeleaf.context.WebExpressionContext;
import org.thymeleaf.engine.TemplateData;
import org.thymeleaf.web.IWebApplication;
import org.thymeleaf.web.IWebExchange;
import org.thymeleaf.web.IWebRequest;
import org.thymeleaf.web.IWebSession;
import org.jspecify.annotations.Nullable;

/**
 * Where Thymeleaf builds the context of each template it renders: in a request, the template gets Flask's
 * variables ({@link FlaskApp#updateTemplateContext}, unless the model brought them already) and Flask's session.
 *
 * <p>Why the session needs more than a variable: Thymeleaf reserves the name {@code session} — its web context
 * answers {@code ${session.x}} and {@code #session} from the exchange's {@code IWebSession}, which wraps the
 * {@code HttpSession}, whatever the model holds, and refuses a variable of that name. So the template is rendered
 * with an exchange whose session is flaskctx's (a signed cookie has no {@code HttpSession} at all); everything
 * else of the exchange is the original's.
 */
final class FlaskEngineContextFactory implements IEngineContextFactory {

    private final IEngineContextFactory delegate;

    FlaskEngineContextFactory(IEngineContextFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public IEngineContext createEngineContext(IEngineConfiguration configuration, TemplateData templateData,
            Map<String, Object> templateResolutionAttributes, IContext context) {
        IContext used = context;
        if (context instanceof IWebContext web && Flask.hasRequestContext()) {
            Map<String, Object> variables = new LinkedHashMap<>();
            for (String name : web.getVariableNames()) {
                variables.put(name, web.getVariable(name));
            }
            if (!(variables.get("current_app") instanceof FlaskApp)) {
                // A view the model did not reach (an error view, an exception handler's): the same variables.
                Flask.currentApp().updateTemplateContext(variables);
            }
            variables.remove("session");
            used = new WebExpressionContext(configuration, new FlaskExchange(web.getExchange(), Session.proxy()),
                    web.getLocale(), variables);
        }
        return delegate.createEngineContext(configuration, templateData, templateResolutionAttributes, used);
    }

    /** The request's exchange, with flaskctx's session as its session. */
    private static final class FlaskExchange implements IWebExchange {

        private final IWebExchange exchange;
        private final IWebSession session;

        FlaskExchange(IWebExchange exchange, Session session) {
            this.exchange = exchange;
            this.session = new FlaskSession(session);
        }

        @Override
        public IWebRequest getRequest() {
            return exchange.getRequest();
        }

        @Override
        public IWebSession getSession() {
            return session;
        }

        @Override
        public boolean hasSession() {
            return true;
        }

        @Override
        public IWebApplication getApplication() {
            return exchange.getApplication();
        }

        @Override
        public Principal getPrincipal() {
            return exchange.getPrincipal();
        }

        @Override
        public Locale getLocale() {
            return exchange.getLocale();
        }

        @Override
        public String getContentType() {
            return exchange.getContentType();
        }

        @Override
        public String getCharacterEncoding() {
            return exchange.getCharacterEncoding();
        }

        @Override
        public boolean containsAttribute(String name) {
            return exchange.containsAttribute(name);
        }

        @Override
        public int getAttributeCount() {
            return exchange.getAttributeCount();
        }

        @Override
        public Set<String> getAllAttributeNames() {
            return exchange.getAllAttributeNames();
        }

        @Override
        public Map<String, Object> getAttributeMap() {
            return exchange.getAttributeMap();
        }

        @Override
        public @Nullable Object getAttributeValue(String name) {
            return exchange.getAttributeValue(name);
        }

        @Override
        public void setAttributeValue(String name, Object value) {
            exchange.setAttributeValue(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            exchange.removeAttribute(name);
        }

        @Override
        public String transformURL(String url) {
            return exchange.transformURL(url);
        }
    }

    /** flaskctx's session as Thymeleaf's {@code IWebSession}. */
    private static final class FlaskSession implements IWebSession {

        private final Session session;

        FlaskSession(Session session) {
            this.session = session;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean containsAttribute(String name) {
            return session.containsKey(name);
        }

        @Override
        public int getAttributeCount() {
            return session.size();
        }

        @Override
        public Set<String> getAllAttributeNames() {
            return new LinkedHashSet<>(session.keySet());
        }

        @Override
        public Map<String, Object> getAttributeMap() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(session));
        }

        @Override
        public @Nullable Object getAttributeValue(String name) {
            return session.get(name);
        }

        @Override
        public void setAttributeValue(String name, Object value) {
            session.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            session.remove(name);
        }
    }
}
