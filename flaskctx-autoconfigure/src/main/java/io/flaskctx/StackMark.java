package io.flaskctx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where this thread's two context stacks stand at some moment, so that code can later find the contexts pushed
 * after it and never popped, and pop them. Flask has no counterpart (its contexts leak silently); flaskctx's
 * interceptor marks the stacks around every request, and tests can do the same around each test.
 *
 * <pre>{@code
 * StackMark mark = StackMark.here();
 * runUserCode();
 * List<StackMark.Leak> leaks = mark.popLeaks("when the job ended");   // popped, counted, logged
 * }</pre>
 */
public final class StackMark {

    // The marks of shallow stacks, made once: a request marks the stacks as it begins, at depths 1 and 1.
    private static final int CACHED = 4;
    private static final StackMark[] SHALLOW = new StackMark[CACHED * CACHED];
    private static final StackMark EMPTY;

    static {
        for (int app = 0; app < CACHED; app++) {
            for (int request = 0; request < CACHED; request++) {
                SHALLOW[app * CACHED + request] = new StackMark(app, request);
            }
        }
        EMPTY = SHALLOW[0];
    }

    private final int appDepth;
    private final int requestDepth;

    private StackMark(int appDepth, int requestDepth) {
        this.appDepth = appDepth;
        this.requestDepth = requestDepth;
    }

    /**
     * {@return a mark of this thread's stacks as they are now}
     */
    public static StackMark here() {
        int[] depths = ContextStack.depthsHere();
        return depths == null ? EMPTY : at(depths[0], depths[1]);
    }

    /** A mark at the given depths of this thread's stacks. */
    static StackMark at(int appDepth, int requestDepth) {
        return appDepth < CACHED && requestDepth < CACHED ? SHALLOW[appDepth * CACHED + requestDepth]
                : new StackMark(appDepth, requestDepth);
    }

    /**
     * {@return a mark of empty stacks: everything this thread holds counts as pushed after it}
     */
    public static StackMark empty() {
        return EMPTY;
    }

    /**
     * A context found pushed beyond a mark.
     *
     * @param type its kind
     * @param context its description, e.g. {@code <AppContext of 'shop'>}
     * @param pushedAt the first frame of the code that pushed it, or null unless its app captures push sites
     * @param pushSite the whole stack trace of its push, or null unless captured
     */
    public record Leak(ContextType type, String context, @Nullable String pushedAt, @Nullable Throwable pushSite) {

        @Override
        public String toString() {
            return context + (pushedAt == null ? " (push site not captured)" : " pushed at " + pushedAt);
        }
    }

    /**
     * {@return whether this thread holds contexts beyond this mark}
     */
    public boolean hasLeaks() {
        int[] depths = ContextStack.depthsHere();
        return depths != null && (depths[0] > appDepth || depths[1] > requestDepth);
    }

    /**
     * {@return the contexts this thread holds beyond this mark, newest first, without changing anything}
     */
    public List<Leak> leaks() {
        if (!hasLeaks()) {
            return List.of();
        }
        List<Leak> leaks = new ArrayList<>();
        for (int i = 0; i < Globals.APP.depth() - appDepth; i++) {
            leaks.add(Objects.requireNonNull(Globals.APP.peek(i)).leak());
        }
        for (int i = 0; i < Globals.REQUEST.depth() - requestDepth; i++) {
            leaks.add(Objects.requireNonNull(Globals.REQUEST.peek(i)).leak());
        }
        return leaks;
    }

    /**
     * Pops every context this thread holds beyond this mark, newest first, running their teardown hooks (a
     * hook's failure is counted and does not stop the others), counts each one as leaked, and reports it through
     * its app: a WARN line per distinct push site of that app.
     *
     * @param when when they were found, for the report: e.g. {@code "when GET /orders ended"}
     * @return what was popped, newest first
     */
    public List<Leak> popLeaks(String when) {
        if (!hasLeaks()) {
            return Collections.emptyList();
        }
        List<Leak> leaks = new ArrayList<>();
        while (true) {
            AppContext app = Globals.APP.depth() > appDepth ? Globals.APP.top() : null;
            RequestContext request = Globals.REQUEST.depth() > requestDepth ? Globals.REQUEST.top() : null;
            if (app != null && (request == null || !request.madeCurrent(app))) {
                Leak leak = app.leak();
                popQuietly(app);
                leaked(app, leak, when, leaks);
            } else if (request != null) {
                Leak leak = request.leak();
                Leak implicit = app != null && request.madeCurrent(app) && request.createdCurrentAppContext()
                        ? app.leak() : null;
                popQuietly(request);
                leaked(request, leak, when, leaks);
                if (implicit != null && app != null) {
                    leaked(app, implicit, when, leaks);
                }
            } else {
                return leaks;
            }
        }
    }

    private static void leaked(ContextState<?> context, Leak leak, String when, List<Leak> leaks) {
        leaks.add(leak);
        ContextStats.countLeak(context.app, leak.type());
        context.app.leakReport().report(leak, when);
    }

    /**
     * The text that describes {@code leaks}, a line each (what {@link #popLeaks(String)} logs), for the message
     * of a strict-mode failure.
     *
     * @param leaks contexts found and popped
     * @param when when they were found, as given to {@code popLeaks}
     * @return the text
     */
    public static String describe(List<Leak> leaks, String when) {
        return LeakReport.describe(leaks, when);
    }

    private static void popQuietly(AutoCloseable context) {
        try {
            context.close();
        } catch (Exception | Error teardownFailure) {
            // counted in ContextStats.teardownErrors by the app; the leak report is what matters here
        }
        // A pop refused (e.g. a context pushed twice on a stack left corrupt by other code) must not stop the
        // clean-up: drop the entry itself.
        if (Globals.APP.top() == context) {
            Globals.APP.pop();
        } else if (Globals.REQUEST.top() == context) {
            Globals.REQUEST.pop();
        }
    }

    @Override
    public String toString() {
        return "<StackMark app=" + appDepth + " request=" + requestDepth + ">";
    }
}
