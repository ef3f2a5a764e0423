package io.flaskctx;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The names of {@code flask.globals} as static methods: {@code current_app}, {@code g}, {@code request},
 * {@code session}, {@code has_app_context()} and {@code has_request_context()}, and Flask's message
 * flashing. Each looks at the contexts pushed on the calling thread, so code anywhere can reach the current
 * app and request without having them passed in.
 *
 * <p>In Spring beans you may prefer injecting {@link CurrentApp}, {@link G} and {@link Session}, which
 * resolve the same way.
 */
public final class Flask {

    private Flask() {
    }

    /**
     * Flask's {@code current_app._get_current_object()}.
     *
     * @return the app of the current app context
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    public static FlaskApp currentApp() {
        return Globals.appContext().app();
    }

    /**
     * Flask's {@code g}.
     *
     * @return the {@code g} of the current app context (not a proxy: it stays that context's {@code g})
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    public static G g() {
        return ContextStack.currentG();
    }

    /**
     * Flask's {@code request}.
     *
     * @return the request of the current request context
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static HttpServletRequest request() {
        return Globals.requestContext().request();
    }

    /**
     * Captures the current app context to run work on another thread with the same app and {@code g} (Flask's
     * {@code copy_current_app_context}); see {@link ContextCopy} for the lifetime rules.
     *
     * @return the handle; wrap a task with it, or close it unused
     * @throws OutsideContextException when no app context is pushed on this thread
     */
    public static ContextCopy copyCurrentAppContext() {
        return ContextCopy.ofCurrentApp();
    }

    /**
     * Captures the current request context and its app context to run work on another thread with the same
     * request, app and {@code g} (Flask's {@code copy_current_request_context}); see {@link ContextCopy}.
     *
     * @return the handle; wrap a task with it, or close it unused
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static ContextCopy copyCurrentRequestContext() {
        return ContextCopy.ofCurrentRequest();
    }

    /**
     * Flask's {@code after_this_request}: runs {@code hook} on this request's response only, before the app's
     * after hooks and in the order such functions were registered. Call it from a handler or a before hook.
     *
     * @param hook receives the response before it is committed
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static void afterThisRequest(Consumer<HttpServletResponse> hook) {
        RequestContext current = Globals.REQUEST.top();
        if (current == null) {
            throw new OutsideContextException("'after_this_request' can only be used when a request context is"
                    + " active, such as in a handler or a before hook.");
        }
        current.root().afterThisRequest(java.util.Objects.requireNonNull(hook, "hook"));
    }

    /**
     * {@return whether an app context is pushed on this thread (Flask's {@code has_app_context()})}
     */
    public static boolean hasAppContext() {
        return Globals.APP.top() != null;
    }

    /**
     * {@return whether a request context is pushed on this thread (Flask's {@code has_request_context()})}
     */
    public static boolean hasRequestContext() {
        return Globals.REQUEST.top() != null;
    }

    /**
     * Flask's {@code session}: the session of the current request, opened on first use.
     *
     * @return the session itself (not a proxy: it stays this request's); see {@link Session#proxy()}
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static Session session() {
        return Globals.requestContext().session();
    }

    /**
     * Flask's {@code flash(message)}: stores a message in the session for the next request that shows the
     * flashed messages, with the category {@code "message"}.
     *
     * @param message the text (a {@link io.flaskctx.Markup} stays Markup)
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static void flash(CharSequence message) {
        flash(message, "message");
    }

    /**
     * Flask's {@code flash(message, category)}: appends {@code (category, message)} to the session's
     * {@code _flashes} list, exactly where and how Flask stores it, so a Flask app shows it too.
     *
     * @param message the text (a {@link io.flaskctx.Markup} stays Markup)
     * @param category e.g. {@code "error"}, {@code "info"}, {@code "warning"}
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static void flash(CharSequence message, String category) {
        Flashes.flash(Globals.requestContext(), message, category);
    }

    /**
     * Flask's {@code get_flashed_messages(category_filter=...)}: takes the flashed messages out of the session;
     * later calls in the same request return the same ones.
     *
     * @param categoryFilter only messages of these categories; none for all
     * @return the messages' texts, oldest first
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static List<String> getFlashedMessages(String... categoryFilter) {
        return Flashes.messages(Globals.requestContext(), categoryFilter);
    }

    /**
     * Flask's {@code get_flashed_messages(with_categories=True, category_filter=...)}.
     *
     * @param categoryFilter only messages of these categories; none for all
     * @return {@code (category, message)} tuples, oldest first
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static List<Tuple> getFlashedMessagesWithCategories(String... categoryFilter) {
        return Flashes.withCategories(Globals.requestContext(), categoryFilter);
    }

    /**
     * Flask's {@code request.blueprint}: the full (dotted) name of the blueprint the current request's handler
     * belongs to, e.g. {@code "admin.users"} for a blueprint {@code users} nested in {@code admin}.
     *
     * @return the name, or null when the handler belongs to no blueprint or no handler matched (404, 405)
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static @Nullable String blueprint() {
        BlueprintTree.@Nullable Node node = Globals.requestContext().blueprint();
        return node == null ? null : node.fullName;
    }

    /**
     * Flask's {@code request.blueprints}: the current request's blueprint and every one it is nested in, innermost
     * first ({@code ["admin.users", "admin"]}).
     *
     * @return the full names, empty when the request belongs to no blueprint
     * @throws OutsideContextException when no request context is pushed on this thread
     */
    public static List<String> blueprints() {
        BlueprintTree.Node node = Globals.requestContext().blueprint();
        return node == null ? List.of() : node.names;
    }
}
