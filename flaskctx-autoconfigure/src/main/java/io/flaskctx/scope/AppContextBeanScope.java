package io.flaskctx.scope;

import io.flaskctx.Flask;
import io.flaskctx.G;
import io.flaskctx.OutsideContextException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.Scope;

/**
 * The Spring {@link Scope} named {@value #NAME} behind {@link AppContextScope}: one set of bean instances per app
 * context. An app context is known by its {@code g}, which its copies on other threads share, so copies see
 * the same instances. The starter registers this scope and runs {@link #destroyCurrent()} as a
 * teardown-appcontext hook of every app (from start-up when a bean definition uses the scope, else from its first
 * use), so destruction happens once, after the last copy. Registering the scope by hand, add that hook too.
 */
public final class AppContextBeanScope implements Scope {

    /** The scope's name, as in {@code @Scope("appcontext")}. */
    public static final String NAME = "appcontext";

    private final Map<G, Beans> live = new ConcurrentHashMap<>();

    /** Creates the scope. */
    public AppContextBeanScope() {
    }

    @Override
    public Object get(String name, ObjectFactory<?> objectFactory) {
        return live.computeIfAbsent(current(name), g -> new Beans()).get(name, objectFactory);
    }

    @Override
    public @Nullable Object remove(String name) {
        Beans beans = live.get(current(name));
        return beans == null ? null : beans.remove(name);
    }

    @Override
    public void registerDestructionCallback(String name, Runnable callback) {
        live.computeIfAbsent(current(name), g -> new Beans()).onDestroy(name, callback);
    }

    @Override
    public @Nullable Object resolveContextualObject(String key) {
        return null;
    }

    @Override
    public @Nullable String getConversationId() {
        return Flask.hasAppContext() ? Flask.currentApp().name() + "@" + System.identityHashCode(Flask.g()) : null;
    }

    /** Destroys the beans of the current app context, newest first; every destroy callback runs even if one fails. */
    public void destroyCurrent() {
        // Most contexts create no scoped bean: then their teardown neither looks up nor creates their g.
        if (live.isEmpty() || !Flask.hasAppContext()) {
            return;
        }
        Beans beans = live.remove(Flask.g());
        if (beans != null) {
            beans.destroy();
        }
    }

    /**
     * {@return how many app contexts hold scoped beans right now}
     */
    public int liveContexts() {
        return live.size();
    }

    private static G current(String name) {
        if (!Flask.hasAppContext()) {
            throw new OutsideContextException("Scope 'appcontext' is not active for the current thread: bean '" + name
                    + "' lives as long as an app context, and none is pushed here.\n\nflaskctx pushes one for every web"
                    + " request it matches; in jobs, tests and threads you start, push one around the code:\n\n"
                    + "    try (var ctx = app.appContext().push()) { ... }\n\nand carry it to other threads with"
                    + " Flask.copyCurrentAppContext().");
        }
        return Flask.g();
    }

    /** The instances of one app context, in creation order. */
    private static final class Beans {
        private final Map<String, Object> instances = new LinkedHashMap<>();
        private final Map<String, Runnable> callbacks = new LinkedHashMap<>();

        synchronized Object get(String name, ObjectFactory<?> factory) {
            Object instance = instances.get(name);
            if (instance == null) {
                // creation may use other scoped beans of this context: the lock is reentrant
                instance = factory.getObject();
                instances.put(name, instance);
            }
            return instance;
        }

        synchronized @Nullable Object remove(String name) {
            callbacks.remove(name);
            return instances.remove(name);
        }

        synchronized void onDestroy(String name, Runnable callback) {
            callbacks.put(name, callback);
        }

        void destroy() {
            List<Runnable> newestFirst;
            synchronized (this) {
                newestFirst = new ArrayList<>();
                for (String name : instances.keySet()) {
                    Runnable callback = callbacks.get(name);
                    if (callback != null) {
                        newestFirst.add(callback);
                    }
                }
                instances.clear();
                callbacks.clear();
            }
            Collections.reverse(newestFirst);
            RuntimeException first = null;
            for (Runnable callback : newestFirst) {
                try {
                    callback.run();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
