package io.flaskctx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Several apps in one process, each mounted under a path: Werkzeug's
 * {@code DispatcherMiddleware(main, {'/admin': admin})}. A request whose path is under a mount runs with that
 * app as {@code current_app}, with its config and hooks; every other request runs with the main app.
 *
 * <p>A mount matches whole path segments, case-sensitively ({@code /admin} and {@code /admin/x} go to the app
 * mounted at {@code /admin}; {@code /administrator} and {@code /ADMIN/x} do not), and the longest mount wins.
 * Unlike {@code DispatcherMiddleware}, the path is not shortened: controllers stay mapped under the mount.
 */
public final class FlaskApps {

    private final FlaskApp main;
    private final Map<String, FlaskApp> byName;
    private final Map<FlaskApp, String> mounts;
    // Longest mount first, so the first match is the most specific.
    private final List<Map.Entry<String, FlaskApp>> byMountLength;

    private FlaskApps(FlaskApp main, Map<String, FlaskApp> byName, Map<FlaskApp, String> mounts) {
        this.main = main;
        this.byName = byName;
        this.mounts = mounts;
        List<Map.Entry<String, FlaskApp>> ordered = new ArrayList<>();
        mounts.forEach((app, mount) -> ordered.add(Map.entry(mount, app)));
        ordered.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
        this.byMountLength = ordered;
    }

    /**
     * {@return a registry with only the main app; add mounts with {@link #mount}}
     *
     * @param main the app for every path no mount claims
     */
    public static FlaskApps of(FlaskApp main) {
        Map<String, FlaskApp> byName = new LinkedHashMap<>();
        byName.put(main.name(), main);
        return new FlaskApps(main, byName, new LinkedHashMap<>());
    }

    /**
     * Returns a registry with {@code app} mounted at {@code mount} as well.
     *
     * @param mount a path such as {@code /admin}: a leading {@code /}, no trailing one
     * @param app the app for requests under it
     * @return the new registry
     * @throws IllegalArgumentException when the mount is malformed or taken, or the name is taken
     */
    public FlaskApps mount(String mount, FlaskApp app) {
        Objects.requireNonNull(app, "app");
        String problem = checkMount(mount);
        if (problem != null) {
            throw new IllegalArgumentException("Mount '" + mount + "' of app '" + app.name() + "' " + problem);
        }
        if (byName.containsKey(app.name())) {
            throw new IllegalArgumentException("An app named '" + app.name() + "' is already registered");
        }
        if (mounts.containsValue(mount)) {
            throw new IllegalArgumentException("Mount '" + mount + "' already belongs to app '" + nameAt(mount) + "'");
        }
        Map<String, FlaskApp> names = new LinkedHashMap<>(byName);
        names.put(app.name(), app);
        Map<FlaskApp, String> newMounts = new LinkedHashMap<>(mounts);
        newMounts.put(app, mount);
        return new FlaskApps(main, names, newMounts);
    }

    /**
     * {@return what is wrong with it, or null when it is well-formed}
     *
     * @param mount a candidate mount
     */
    public static @Nullable String checkMount(@Nullable String mount) {
        if (mount == null || mount.isBlank()) {
            return "is empty";
        }
        if (!mount.startsWith("/")) {
            return "does not start with '/'";
        }
        if (mount.equals("/")) {
            return "is the root, which belongs to the main app";
        }
        if (mount.endsWith("/")) {
            return "ends with '/'";
        }
        if (mount.contains("//") || mount.contains("*") || mount.contains("{") || mount.contains("?")) {
            return "is not a plain path (no '//', wildcards, variables or query)";
        }
        return null;
    }

    private @Nullable String nameAt(String mount) {
        for (Map.Entry<FlaskApp, String> e : mounts.entrySet()) {
            if (e.getValue().equals(mount)) {
                return e.getKey().name();
            }
        }
        return null;
    }

    /**
     * {@return the main app}
     */
    public FlaskApp main() {
        return main;
    }

    /**
     * {@return that app}
     *
     * @param name an app's name
     * @throws IllegalArgumentException naming the known apps when there is none of that name
     */
    public FlaskApp get(String name) {
        FlaskApp app = byName.get(name);
        if (app == null) {
            throw new IllegalArgumentException("No app named '" + name + "'; the apps are " + byName.keySet());
        }
        return app;
    }

    /**
     * {@return whether an app of that name is registered}
     *
     * @param name an app name
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * {@return every app, the main one first}
     */
    public List<FlaskApp> all() {
        return List.copyOf(byName.values());
    }

    /**
     * {@return the mount of {@code app}, or null for the main app}
     *
     * @param app a registered app
     */
    public @Nullable String mountOf(FlaskApp app) {
        return mounts.get(app);
    }

    /**
     * {@return the mounts, by app name}
     */
    public Map<String, String> mounts() {
        Map<String, String> result = new LinkedHashMap<>();
        mounts.forEach((app, mount) -> result.put(app.name(), mount));
        return Collections.unmodifiableMap(result);
    }

    /**
     * {@return the app mounted at the longest whole-segment prefix of {@code path}, else the main app}
     *
     * @param path a request path within the web application (without the servlet context path)
     */
    public FlaskApp forPath(String path) {
        for (Map.Entry<String, FlaskApp> candidate : byMountLength) {
            String mount = candidate.getKey();
            if (path.startsWith(mount) && (path.length() == mount.length() || path.charAt(mount.length()) == '/')) {
                return candidate.getValue();
            }
        }
        return main;
    }

    @Override
    public String toString() {
        return "<FlaskApps main='" + main.name() + "' mounts=" + mounts() + ">";
    }
}
