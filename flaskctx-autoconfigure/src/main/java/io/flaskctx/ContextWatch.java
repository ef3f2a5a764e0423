package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * Everything that watches one app's contexts besides the stacks themselves: the depth guard, push-site capture,
 * counting, strict mode, the context listener, the signal receiver and the hook observer. One immutable value
 * that the app replaces whenever one of them changes (they are set when the app is built), so that a push or a
 * pop reads a single field to learn all of them, and {@link #quiet} tells it in one test that none of the optional
 * ones is on.
 */
final class ContextWatch {

    static final ContextWatch DEFAULT = new ContextWatch(FlaskApp.DEFAULT_MAX_CONTEXT_DEPTH, false, false, false,
            null, null, null, false, false);

    final int maxDepth;
    final boolean capturePushSites;
    final boolean counting;
    final boolean strict;
    final @Nullable ContextListener listener;
    final @Nullable SignalReceiver signals;
    final @Nullable HookObserver hookObserver;
    /** Whether the app has teardown-appcontext hooks. */
    final boolean appTeardownHooks;
    /** Whether the app (or one of its blueprints) has teardown-request hooks. */
    final boolean requestTeardownHooks;
    /** No push-site capture, counting, listener or signal receiver: a push and pop do the stack work alone. */
    final boolean quiet;

    private ContextWatch(int maxDepth, boolean capturePushSites, boolean counting, boolean strict,
            @Nullable ContextListener listener, @Nullable SignalReceiver signals,
            @Nullable HookObserver hookObserver, boolean appTeardownHooks, boolean requestTeardownHooks) {
        this.maxDepth = maxDepth;
        this.capturePushSites = capturePushSites;
        this.counting = counting;
        this.strict = strict;
        this.listener = listener;
        this.signals = signals;
        this.hookObserver = hookObserver;
        this.appTeardownHooks = appTeardownHooks;
        this.requestTeardownHooks = requestTeardownHooks;
        this.quiet = !capturePushSites && !counting && listener == null && signals == null;
    }

    ContextWatch withMaxDepth(int value) {
        return new ContextWatch(value, capturePushSites, counting, strict, listener, signals, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withCapturePushSites(boolean value) {
        return new ContextWatch(maxDepth, value, counting, strict, listener, signals, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withCounting(boolean value) {
        return new ContextWatch(maxDepth, capturePushSites, value, strict, listener, signals, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withStrict(boolean value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, value, listener, signals, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withListener(@Nullable ContextListener value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, value, signals, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withSignals(@Nullable SignalReceiver value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, listener, value, hookObserver,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withHookObserver(@Nullable HookObserver value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, listener, signals, value,
                appTeardownHooks, requestTeardownHooks);
    }

    ContextWatch withTeardownHooks(boolean app, boolean request) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, listener, signals, hookObserver, app,
                request);
    }

    /** Whether code of the user may run when a context of that type tears down: hooks, or signal receivers. */
    boolean runsCodeOnTeardown(ContextType type) {
        return signals != null || (type == ContextType.APP ? appTeardownHooks : requestTeardownHooks);
    }

    /** Whether the last pop of a root context of that type, never copied, has nothing to do but leave its stack. */
    boolean nothingOnLastPop(ContextType type) {
        return quiet && !(type == ContextType.APP ? appTeardownHooks : requestTeardownHooks);
    }
}
