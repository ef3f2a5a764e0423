package io.flaskctx.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code flaskctx.*} properties: the app's name and config, the depth guard, and which requests get
 * contexts.
 */
@ConfigurationProperties("flaskctx")
public class FlaskProperties {

    /** Whether flaskctx pushes contexts for web requests and registers its beans. */
    private boolean enabled = true;

    /** The app's name (current_app.name). Defaults to spring.application.name, else "application". */
    private String appName;

    /**
     * Entries of current_app.config, keys kept exactly as written (e.g. SECRET_KEY, MAIL_SERVER); they are
     * added to Flask's default keys and override them.
     */
    private Map<String, Object> config = new LinkedHashMap<>();

    /**
     * The most app or request contexts one thread may hold at once; a deeper push fails, since it almost
     * always means contexts are pushed and never popped.
     */
    private int maxDepth = 64;

    private final Web web = new Web();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getAppName() {
        return appName;
    }

    public void setAppName(String appName) {
        this.appName = appName;
    }

    public Map<String, Object> getConfig() {
        return config;
    }

    public void setConfig(Map<String, Object> config) {
        this.config = config;
    }

    public int getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public Web getWeb() {
        return web;
    }

    /** Which web requests get a request context (and the hooks). */
    public static class Web {

        /** Path patterns (Spring MVC PathPattern syntax) of the requests that get contexts and hooks. */
        private List<String> includePatterns = new ArrayList<>(List.of("/**"));

        /** Path patterns of requests that get no context, e.g. /actuator/**; they win over the includes. */
        private List<String> excludePatterns = new ArrayList<>();

        public List<String> getIncludePatterns() {
            return includePatterns;
        }

        public void setIncludePatterns(List<String> includePatterns) {
            this.includePatterns = includePatterns;
        }

        public List<String> getExcludePatterns() {
            return excludePatterns;
        }

        public void setExcludePatterns(List<String> excludePatterns) {
            this.excludePatterns = excludePatterns;
        }
    }
}
