package io.flaskctx.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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
    private @Nullable String appName;

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

    /** Creates the properties with their defaults; Spring Boot binds them. */
    public FlaskProperties() {
    }

    /**
     * Returns the {@code enabled} property.
     *
     * @return whether flaskctx pushes contexts for web requests and registers its beans
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets the {@code enabled} property.
     *
     * @param enabled whether flaskctx pushes contexts for web requests and registers its beans
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns the {@code appName} property.
     *
     * @return the app's name (current_app.name)
     */
    public @Nullable String getAppName() {
        return appName;
    }

    /**
     * Sets the {@code appName} property.
     *
     * @param appName the app's name (current_app.name)
     */
    public void setAppName(@Nullable String appName) {
        this.appName = appName;
    }

    /**
     * Returns the {@code config} property.
     *
     * @return entries of current_app.config, keys kept exactly as written
     */
    public Map<String, Object> getConfig() {
        return config;
    }

    /**
     * Sets the {@code config} property.
     *
     * @param config entries of current_app.config, keys kept exactly as written
     */
    public void setConfig(Map<String, Object> config) {
        this.config = config;
    }

    /**
     * Returns the {@code maxDepth} property.
     *
     * @return the most app or request contexts one thread may hold at once; a deeper push fails, since it almost always
     *     means contexts are pushed and never popped
     */
    public int getMaxDepth() {
        return maxDepth;
    }

    /**
     * Sets the {@code maxDepth} property.
     *
     * @param maxDepth the most app or request contexts one thread may hold at once; a deeper push fails, since it
     *     almost always means contexts are pushed and never popped
     */
    public void setMaxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /**
     * Returns the {@code strict} property.
     *
     * @return whether a context left pushed by a request (or found on its thread when it starts) fails that request
     *     with an exception, rather than only being popped, counted and logged
     */
    public boolean isStrict() {
        return strict;
    }

    /**
     * Sets the {@code strict} property.
     *
     * @param strict whether a context left pushed by a request (or found on its thread when it starts) fails that
     *     request with an exception, rather than only being popped, counted and logged
     */
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    /**
     * Returns the {@code apps} property.
     *
     * @return more apps in the same process, by name, each mounted under a path (Werkzeug's DispatcherMiddleware):
     *     requests under the mount run with that app as current_app, with its own config and hooks
     */
    public Map<String, App> getApps() {
        return apps;
    }

    /**
     * Sets the {@code apps} property.
     *
     * @param apps more apps in the same process, by name, each mounted under a path (Werkzeug's DispatcherMiddleware):
     *     requests under the mount run with that app as current_app, with its own config and hooks
     */
    public void setApps(Map<String, App> apps) {
        this.apps = apps;
    }

    /**
     * Returns the {@code web} property.
     *
     * @return which web requests get a request context (and the hooks)
     */
    public Web getWeb() {
        return web;
    }

    /** An app mounted beside the main one. */
    public static class App {

        /** The path the app is mounted at, e.g. /admin: a leading '/', no trailing one. */
        private @Nullable String mount;

        /** Entries of this app's config, keys kept exactly as written, on top of Flask's defaults. */
        private Map<String, Object> config = new LinkedHashMap<>();

        /** Creates the settings with their defaults. */
        public App() {
        }

        /**
         * Returns the {@code mount} property.
         *
         * @return the path the app is mounted at, e.g
         */
        public @Nullable String getMount() {
            return mount;
        }

        /**
         * Sets the {@code mount} property.
         *
         * @param mount the path the app is mounted at, e.g
         */
        public void setMount(@Nullable String mount) {
            this.mount = mount;
        }

        /**
         * Returns the {@code config} property.
         *
         * @return entries of this app's config, keys kept exactly as written, on top of Flask's defaults
         */
        public Map<String, Object> getConfig() {
            return config;
        }

        /**
         * Sets the {@code config} property.
         *
         * @param config entries of this app's config, keys kept exactly as written, on top of Flask's defaults
         */
        public void setConfig(Map<String, Object> config) {
            this.config = config;
        }
    }

    /**
     * Returns the {@code debug} property.
     *
     * @return diagnostics that cost too much for production traffic
     */
    public Debug getDebug() {
        return debug;
    }

    /**
     * Returns the {@code scheduling} property.
     *
     * @return app contexts for scheduled work
     */
    public Scheduling getScheduling() {
        return scheduling;
    }

    /**
     * Returns the {@code runners} property.
     *
     * @return app contexts for start-up work
     */
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

        /** Creates the settings with their defaults. */
        public Scheduling() {
        }

        /**
         * Returns the {@code appContext} property.
         *
         * @return whether every run of a @Scheduled method runs inside an app context of the main app (its own g,
         *     teardown after the run with the run's exception), as Flask's Celery integration gives each task one
         */
        public boolean isAppContext() {
            return appContext;
        }

        /**
         * Sets the {@code appContext} property.
         *
         * @param appContext whether every run of a @Scheduled method runs inside an app context of the main app (its
         *     own g, teardown after the run with the run's exception), as Flask's Celery integration gives each task
         *     one
         */
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

        /** Creates the settings with their defaults. */
        public Runners() {
        }

        /**
         * Returns the {@code appContext} property.
         *
         * @return whether each CommandLineRunner and ApplicationRunner bean runs inside an app context of the main app,
         *     as every Flask CLI command does
         */
        public boolean isAppContext() {
            return appContext;
        }

        /**
         * Sets the {@code appContext} property.
         *
         * @param appContext whether each CommandLineRunner and ApplicationRunner bean runs inside an app context of the
         *     main app, as every Flask CLI command does
         */
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

        /** Creates the settings with their defaults. */
        public Debug() {
        }

        /**
         * Returns the {@code capturePushSites} property.
         *
         * @return whether every push records its stack trace, so that leak reports, wrong-order pops and the depth
         *     guard name the line that pushed each context
         */
        public boolean isCapturePushSites() {
            return capturePushSites;
        }

        /**
         * Sets the {@code capturePushSites} property.
         *
         * @param capturePushSites whether every push records its stack trace, so that leak reports, wrong-order pops
         *     and the depth guard name the line that pushed each context
         */
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

        /** Creates the settings with their defaults. */
        public Web() {
        }

        /**
         * Returns the {@code includePatterns} property.
         *
         * @return path patterns (Spring MVC PathPattern syntax) of the requests that get contexts and hooks
         */
        public List<String> getIncludePatterns() {
            return includePatterns;
        }

        /**
         * Sets the {@code includePatterns} property.
         *
         * @param includePatterns path patterns (Spring MVC PathPattern syntax) of the requests that get contexts and
         *     hooks
         */
        public void setIncludePatterns(List<String> includePatterns) {
            this.includePatterns = includePatterns;
        }

        /**
         * Returns the {@code excludePatterns} property.
         *
         * @return path patterns of requests that get no context, e.g. {@code /actuator/**}; they win over the
         *     includes
         */
        public List<String> getExcludePatterns() {
            return excludePatterns;
        }

        /**
         * Sets the {@code excludePatterns} property.
         *
         * @param excludePatterns path patterns of requests that get no context, e.g. {@code /actuator/**}; they win
         *     over the includes
         */
        public void setExcludePatterns(List<String> excludePatterns) {
            this.excludePatterns = excludePatterns;
        }
    }

    private final Logging logging = new Logging();

    /** {@return what flaskctx puts into the logging context} */
    public Logging getLogging() {
        return logging;
    }

    /** What flaskctx puts into the logging context (SLF4J's MDC). */
    public static class Logging {

        /** Creates the settings with their defaults. */
        public Logging() {
        }

        /**
         * Names in g whose values go into SLF4J's MDC (under the same keys) while their context is current, also
         * on the threads a request's work is copied to: their toString(), or what an MdcValue bean for the key
         * makes of them.
         */
        private List<String> mdcKeys = new ArrayList<>();

        /** {@return the names in g that are logged} */
        public List<String> getMdcKeys() {
            return mdcKeys;
        }

        /**
         * Sets the names in g that are logged.
         *
         * @param mdcKeys the names in g to log
         */
        public void setMdcKeys(List<String> mdcKeys) {
            this.mdcKeys = mdcKeys;
        }
    }
}
