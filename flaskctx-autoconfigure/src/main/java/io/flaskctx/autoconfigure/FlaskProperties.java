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

    /**
     * Whether a context left pushed by a request (or found on its thread when it starts) fails that request
     * with an exception, rather than only being popped, counted and logged. For tests and CI.
     */
    private boolean strict = false;

    /**
     * More apps in the same process, by name, each mounted under a path (Werkzeug's DispatcherMiddleware):
     * requests under the mount run with that app as current_app, with its own config and hooks.
     */
    private Map<String, App> apps = new LinkedHashMap<>();

    private final Web web = new Web();

    private final Debug debug = new Debug();

    private final Scheduling scheduling = new Scheduling();

    private final Runners runners = new Runners();

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

    public boolean isStrict() {
        return strict;
    }

    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public Map<String, App> getApps() {
        return apps;
    }

    public void setApps(Map<String, App> apps) {
        this.apps = apps;
    }

    public Web getWeb() {
        return web;
    }

    /** An app mounted beside the main one. */
    public static class App {

        /** The path the app is mounted at, e.g. /admin: a leading '/', no trailing one. */
        private String mount;

        /** Entries of this app's config, keys kept exactly as written, on top of Flask's defaults. */
        private Map<String, Object> config = new LinkedHashMap<>();

        public String getMount() {
            return mount;
        }

        public void setMount(String mount) {
            this.mount = mount;
        }

        public Map<String, Object> getConfig() {
            return config;
        }

        public void setConfig(Map<String, Object> config) {
            this.config = config;
        }
    }

    public Debug getDebug() {
        return debug;
    }

    public Scheduling getScheduling() {
        return scheduling;
    }

    public Runners getRunners() {
        return runners;
    }

    /** App contexts for scheduled work. */
    public static class Scheduling {

        /**
         * Whether every run of a @Scheduled method runs inside an app context of the main app (its own g, teardown
         * after the run with the run's exception), as Flask's Celery integration gives each task one.
         */
        private boolean appContext = true;

        public boolean isAppContext() {
            return appContext;
        }

        public void setAppContext(boolean appContext) {
            this.appContext = appContext;
        }
    }

    /** App contexts for start-up work. */
    public static class Runners {

        /**
         * Whether each CommandLineRunner and ApplicationRunner bean runs inside an app context of the main app, as
         * every Flask CLI command does.
         */
        private boolean appContext = true;

        public boolean isAppContext() {
            return appContext;
        }

        public void setAppContext(boolean appContext) {
            this.appContext = appContext;
        }
    }

    /** Diagnostics that cost too much for production traffic. */
    public static class Debug {

        /**
         * Whether every push records its stack trace, so that leak reports, wrong-order pops and the depth
         * guard name the line that pushed each context. Cheap enough for tests and staging.
         */
        private boolean capturePushSites = false;

        public boolean isCapturePushSites() {
            return capturePushSites;
        }

        public void setCapturePushSites(boolean capturePushSites) {
            this.capturePushSites = capturePushSites;
        }
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

    private final Logging logging = new Logging();

    /** @return what flaskctx puts into the logging context */
    public Logging getLogging() {
        return logging;
    }

    /** What flaskctx puts into the logging context (SLF4J's MDC). */
    public static class Logging {

        /**
         * Names in g whose values go into SLF4J's MDC (under the same keys) while their context is current, also
         * on the threads a request's work is copied to: their toString(), or what an MdcValue bean for the key
         * makes of them.
         */
        private List<String> mdcKeys = new ArrayList<>();

        /** @return the names in g that are logged */
        public List<String> getMdcKeys() {
            return mdcKeys;
        }

        /** @param mdcKeys the names in g to log */
        public void setMdcKeys(List<String> mdcKeys) {
            this.mdcKeys = mdcKeys;
        }
    }
}
