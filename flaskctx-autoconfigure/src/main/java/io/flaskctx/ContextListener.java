package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * Follows an app's app contexts on the threads that push them, for integrations that keep per-thread state in
 * step with {@code current_app} and {@code g} (a logging context, a tracing scope). Flask has no counterpart
 * (its {@code appcontext_pushed} and {@code appcontext_popped} signals, see {@link SignalReceiver}, are sent
 * only for the original context, and nothing is sent when {@code g} changes). Add one with
 * {@link FlaskApp#addContextListener(ContextListener)}; with none, the app calls nothing.
 *
 * <p>Every method runs on the thread concerned, and must be quick and must not throw.
 */
public interface ContextListener {

    /**
     * An app context of the app was pushed and is now current on this thread: a context pushed by hand, for a
     * request, again while already pushed, or a copy of one on another thread (copies share their original's
     * {@code g}).
     *
     * @param context the context, now current
     */
    default void appContextPushed(AppContext context) {
    }

    /**
     * An app context of the app left this thread's stack; the context under it, if any, is current again.
     *
     * @param context the context popped
     */
    default void appContextPopped(AppContext context) {
    }

    /**
     * The teardown of an app context ran (its {@code teardown_appcontext} hooks, once per original context, on
     * the thread of the pop that ended it, possibly the last of its copies); the context is still current.
     *
     * @param context the context, or the copy, current while the hooks ran
     * @param error the error given to the hooks, or null
     */
    default void appContextTornDown(AppContext context, @Nullable Throwable error) {
    }

    /**
     * A name of the {@code g} that is current on this thread was set or removed here.
     *
     * @param g the current {@code g}
     * @param name the name that changed; read its value from {@code g}
     */
    default void gChanged(G g, String name) {
    }
}
