package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * The two per-thread stacks behind every context lookup ({@code flask.globals}' {@code _cv_app} and
 * {@code _cv_request}; one per-thread frame holds both, see {@link ContextStack}), and the messages for misusing
 * them.
 */
final class Globals {

    static final ContextStack<AppContext> APP = ContextStack.APP;
    static final ContextStack<RequestContext> REQUEST = ContextStack.REQUEST;

    private Globals() {
    }

    static AppContext appContext() {
        AppContext top = APP.top();
        if (top == null) {
            throw OutsideContextException.app();
        }
        return top;
    }

    static RequestContext requestContext() {
        RequestContext top = REQUEST.top();
        if (top == null) {
            throw OutsideContextException.request();
        }
        return top;
    }

    static IllegalStateException depthExceeded(Object context, ContextStack<?> stack, int max) {
        return new IllegalStateException("Cannot push " + context + ": this thread already holds " + stack.depth()
                + " contexts of that kind, the most allowed (" + max + "). Contexts are being pushed without"
                + " being popped: pop every context you push, best with try (var ctx = ....push()) { ... }."
                + " If the nesting is deliberate, raise the limit (FlaskApp.setMaxContextDepth, or the"
                + " flaskctx.max-depth property). " + pushSites(stack));
    }

    /** Where the contexts on {@code stack} were pushed, most frequent first, or how to find out. */
    private static String pushSites(ContextStack<?> stack) {
        java.util.Map<String, Integer> sites = new java.util.LinkedHashMap<>();
        for (int i = 0; i < stack.depth(); i++) {
            String site = pushedAt(stack.peek(i));
            if (site != null) {
                sites.merge(site, 1, Integer::sum);
            }
        }
        if (sites.isEmpty()) {
            return "To see where they were pushed, capture push sites (flaskctx.debug.capture-push-sites=true,"
                    + " or FlaskApp.setCapturePushSites(true)).";
        }
        StringBuilder text = new StringBuilder("They were pushed at:");
        sites.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue(java.util.Comparator.reverseOrder()))
                .limit(5).forEach(e -> text.append("\n    ").append(e.getValue()).append(" x ").append(e.getKey()));
        return text.toString();
    }

    static @Nullable String pushedAt(@Nullable Object context) {
        if (context instanceof AppContext app) {
            return app.pushedAt();
        }
        return context instanceof RequestContext request ? request.pushedAt() : null;
    }

    private static String describe(Object context) {
        String site = pushedAt(context);
        return site == null ? String.valueOf(context) : context + " (pushed at " + site + ")";
    }

    /** The message for pushing {@code context} while another thread has it pushed. */
    static IllegalStateException pushedElsewhere(Object context, @Nullable Thread owner) {
        return new IllegalStateException(context + " is already pushed on thread '"
                + (owner == null ? "?" : owner.getName()) + "'. A"
                + " context belongs to one thread at a time: create another one for this thread.");
    }

    /** The message for popping {@code context} while it is not the top of {@code stack} on this thread. */
    static IllegalStateException wrongPop(String kind, Object context, ContextStack<?> stack) {
        Object top = stack.top();
        if (top == null) {
            return new IllegalStateException("Cannot pop " + context + ": no " + kind + " context is pushed on this"
                    + " thread. A context is popped once per push, on the thread that pushed it.");
        }
        boolean below = false;
        for (int i = 1; i < stack.depth(); i++) {
            if (stack.peek(i) == context) {
                below = true;
                break;
            }
        }
        String current = describe(top);
        String popped = describe(context);
        if (current.equals(popped)) {
            popped += " (another context that prints the same)";
        }
        return new IllegalStateException("Popped wrong " + kind + " context: " + current + " is current, not "
                + popped
                + (below ? ", which is further down the stack" : ", which is not pushed on this thread")
                + ". Nothing was popped and no teardown ran. Contexts pop in the reverse order of their push: pop "
                + top + " first (try-with-resources does this for you).");
    }
}
