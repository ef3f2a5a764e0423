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
            null, null, null);

    final int maxDepth;
    final boolean capturePushSites;
    final boolean counting;
    final boolean strict;
    final @Nullable ContextListener listener;
    final @Nullable SignalReceiver signals;
    final @Nullable HookObserver hookObserver;
    /** No push-site capture, counting, listener or signal receiver: a push and pop do the stack work alone. */
    final boolean quiet;

    private ContextWatch(int maxDepth, boolean capturePushSites, boolean counting, boolean strict,
            @Nullable ContextListener listener, @Nullable SignalReceiver signals,
            @Nullable HookObserver hookObserver) {
        this.maxDepth = maxDepth;
        this.capturePushSites = capturePushSites;
        this.counting = counting;
        this.strict = strict;
        this.listener = listener;
        this.signals = signals;
        this.hookObserver = hookObserver;
        this.quiet = !capturePushSites && !counting && listener == null && signals == null;
    }

    ContextWatch withMaxDepth(int value) {
        return new ContextWatch(value, capturePushSites, counting, strict, listener, signals, hookObserver);
    }

    ContextWatch withCapturePushSites(boolean value) {
        return new ContextWatch(maxDepth, value, counting, strict, listener, signals, hookObserver);
    }

    ContextWatch withCounting(boolean value) {
        return new ContextWatch(maxDepth, capturePushSites, value, strict, listener, signals, hookObserver);
    }

    ContextWatch withStrict(boolean value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, value, listener, signals, hookObserver);
    }

    ContextWatch withListener(@Nullable ContextListener value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, value, signals, hookObserver);
    }

    ContextWatch withSignals(@Nullable SignalReceiver value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, listener, value, hookObserver);
    }

    ContextWatch withHookObserver(@Nullable HookObserver value) {
        return new ContextWatch(maxDepth, capturePushSites, counting, strict, listener, signals, value);
    }
}
