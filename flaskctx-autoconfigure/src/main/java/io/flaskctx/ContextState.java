package io.flaskctx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What a context keeps about being pushed, the same for both kinds: which thread holds it and how often, where
 * it was pushed, whether its pushes were counted, and, once copied to other threads, the {@link Lifetime} its
 * copies share with it and who runs its teardown. {@link AppContext} and {@link RequestContext} add only what
 * differs: the stack they live on, their hooks, and what a request pushes along with it.
 *
 * <p>A superclass rather than a field, so that it costs no object of its own: every request creates two
 * contexts, and a push or pop touches only the context's own fields.
 *
 * @param <C> the kind of context
 */
abstract class ContextState<C extends ContextState<C>> {

    private static final VarHandle LIFETIME;

    static {
        try {
            LIFETIME = MethodHandles.lookup().findVarHandle(ContextState.class, "lifetime", Lifetime.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FlaskApp app;
    // This context, or the one it is a copy of (the same app and g, or the same request, on another thread).
    final C root;
    // A copy pushed only to run a deferred teardown: it holds no share.
    private final boolean carrier;
    // How often this context is on the stack of the thread that pushed it; plain fields, as a context is
    // confined to one thread while pushed (checked on push).
    private int pushes;
    private int countedPushes;
    // The frame of the thread that pushed this context last (the frame names its thread), so that the pop on that
    // thread finds its frame without a thread-local lookup.
    private Object @Nullable [] pushedIn;
    private @Nullable PushSite pushSite;
    // Created by the first copy of this (root) context; until then teardown needs no coordination.
    private volatile @Nullable Lifetime lifetime;

    @SuppressWarnings("unchecked")
    ContextState(FlaskApp app) {
        this.app = app;
        this.root = (C) this;
        this.carrier = false;
    }

    ContextState(C root, boolean carrier) {
        this.app = root.app;
        this.root = root;
        this.carrier = carrier;
    }

    /** The stack this kind of context lives on. */
    @SuppressWarnings("unchecked")
    final ContextStack<C> stack() {
        return (ContextStack<C>) (this instanceof AppContext ? Globals.APP : Globals.REQUEST);
    }

    final ContextType type() {
        return this instanceof AppContext ? ContextType.APP : ContextType.REQUEST;
    }

    /** Where this context came from, for the meters: a request context always comes from a request. */
    abstract ContextOrigin origin();

    /** Runs this kind's teardown hooks (and their signal); throws what they threw. */
    private void tearDown(@Nullable Throwable error) {
        if (this instanceof AppContext appContext) {
            try {
                app.doTeardownAppContext(error);
            } finally {
                ContextListener listener = app.contextListener();
                if (listener != null) {
                    listener.appContextTornDown(appContext, error);
                }
            }
        } else {
            app.doTeardownRequest(error);
        }
    }

    /** Runs the teardown of this root where none of its copies is current: pushes a carrier copy around it. */
    abstract void tearDownWhereNoCopyIs(@Nullable Throwable error, AppContext appRoot);

    /** Pushes this context on the calling thread (the public push of each kind). */
    abstract C push();

    /** Pops this context (the public pop of each kind). */
    abstract void pop(@Nullable Throwable error);

    /**
     * {@return the app this context belongs to}
     */
    public final FlaskApp app() {
        return app;
    }

    /** Pops this context with no error: the end of a try-with-resources block. */
    public final void close() {
        pop(null);
    }

    /**
     * Flask's {@code with} block: pushes this context, calls {@code block}, and pops it, passing the block's
     * exception to the teardown hooks, which {@code close()} cannot see. A teardown failure after a failing
     * block is added to the block's exception as suppressed.
     */
    final <T> T within(Callable<T> block) throws Exception {
        push();
        T result;
        try {
            result = block.call();
        } catch (Throwable failure) {
            try {
                pop(failure);
            } catch (Throwable teardownFailure) {
                if (teardownFailure != failure) {
                    failure.addSuppressed(teardownFailure);
                }
            }
            throw failure;
        }
        pop(null);
        return result;
    }

    /** {@link #within} for a block that returns nothing and throws no checked exception. */
    final void runWithin(Runnable block) {
        try {
            within(() -> {
                block.run();
                return null;
            });
        } catch (Exception unchecked) {
            throw Failures.<RuntimeException>sneaky(unchecked);
        }
    }

    /** @throws IllegalStateException when another thread has this context pushed right now */
    final void checkThread() {
        if (pushes > 0) {
            // Read through a race from another thread, the frame or its owner may still look null: still refused.
            Object[] frame = pushedIn;
            Thread owner = frame == null ? null : ContextStack.owner(frame);
            if (owner != Thread.currentThread()) {
                throw Globals.pushedElsewhere(this, owner);
            }
        }
    }

    /**
     * Puts this context on its stack in {@code frame} (the calling thread's) and records the push.
     *
     * @param watch the app's watch, read once by the caller
     * @throws IllegalStateException on the depth guard; then the stack is as it was and nothing is recorded
     */
    final void enter(Object[] frame, ContextWatch watch) {
        @SuppressWarnings("unchecked")
        C self = (C) this;
        ContextStack<C> stack = stack();
        int depth = stack.push(frame, self);
        if (depth > watch.maxDepth) {
            stack.pop(frame);
            throw Globals.depthExceeded(this, stack, watch.maxDepth);
        }
        if (pushes == 0) {
            Lifetime life = lifetime;
            if (life != null) {
                life.restart();
            }
        }
        // The owner stays recorded after the last pop (pushes > 0 is what makes it the owner), so a context pushed
        // again from the same thread stores nothing here.
        if (pushedIn != frame) {
            pushedIn = frame;
        }
        pushes++;
        if (!watch.quiet) {
            pushSite = watch.capturePushSites ? new PushSite(this) : null;
            if (watch.counting) {
                ContextStats.countPush(app, type(), depth, origin(), frame);
                countedPushes++;
            }
        }
    }

    /**
     * {@return the calling thread's frame}: the one this context was last pushed in when the caller is that
     * thread (the pop of a context on its own thread, and the push of a context made once and pushed again there,
     * then need no thread-local lookup), else the thread's own.
     */
    final Object[] callerFrame() {
        Object[] frame = pushedIn;
        // Read through a race from another thread, the frame's owner slot is null or that frame's thread, never
        // the caller: it then looks its own frame up.
        return frame != null && ContextStack.owner(frame) == Thread.currentThread() ? frame : ContextStack.frame();
    }

    /** @return how often this context is pushed right now */
    final int pushes() {
        return pushes;
    }

    /**
     * The check before a pop changes anything.
     *
     * @param frame the calling thread's frame
     * @throws IllegalStateException when this context is not the top of its stack on this thread
     */
    final void checkCurrent(Object[] frame) {
        ContextStack<C> stack = stack();
        if (stack.top(frame) != this) {
            throw Globals.wrongPop(type().tag(), this, stack);
        }
    }

    /**
     * Records a pop; the caller then removes the context from its stack.
     *
     * @return true when it was the last pop: the context leaves its thread, and its teardown is due
     */
    final boolean leave() {
        if (countedPushes > 0) {
            countedPushes--;
            ContextStats.countPop(app, type(), Objects.requireNonNull(pushedIn));
        }
        if (--pushes > 0) {
            return false;
        }
        if (pushSite != null) {
            pushSite = null;
        }
        return true;
    }

    /**
     * Whether the last pop of this context, just recorded, has nothing to do but leave the stack: it is a root
     * that was never copied, its app runs no code on this kind of teardown (no hooks, no signal receiver) and
     * nothing watches its contexts (no listener, no counting, no push sites). The common case, so a pop then
     * costs what a push does.
     */
    final boolean nothingToTearDown() {
        return root == this && lifetime == null && app.watch().nothingOnLastPop(type());
    }

    /**
     * The last pop's teardown: a root tears down now unless copies of it still run (then the last of them
     * does); a copy releases its share, and tears down when it was the last one after the owner's pop.
     *
     * @param appRoot the app context the copies run in (for a request's carrier); ignored by app contexts
     * @return whether the teardown ran here
     */
    final boolean endLast(@Nullable Throwable error, AppContext appRoot, Object[] frame) {
        if (root != this) {
            // A copy right above its root on this thread's stack runs where the root's owner has it pushed (a task
            // run on the caller's thread): it releases its share as the owner, plainly.
            return !carrier && root.releaseShare(appRoot, stack().belowTop(frame) == root);
        }
        Lifetime life = lifetime;
        if (life == null || life.end(error)) {
            tearDown(error);
            return true;
        }
        return false;
    }

    /**
     * The last pop, after the caller's checks: the teardown runs (or waits for the copies), contexts its hooks
     * left pushed on either stack are popped as leaks (counted, logged), and then exactly this context leaves its
     * stack, so that nothing the hooks did stays on the thread.
     *
     * @param appRoot see {@link #endLast}
     * @param frame the calling thread's frame
     * @return what the caller throws once it has popped everything: the hooks' failure, or in strict mode a
     *     {@link ContextLeakException} with that failure suppressed; null when all went well
     */
    final @Nullable Throwable popLast(@Nullable Throwable error, AppContext appRoot, Object[] frame) {
        // Only code of the user can leave contexts behind; without any, the hot path reads no stack depth.
        boolean watch = app.runsCodeOnTeardown(type());
        int appDepth = watch ? Globals.APP.depth(frame) : 0;
        int requestDepth = watch ? Globals.REQUEST.depth(frame) : 0;
        boolean tornDown = false;
        Throwable failure = null;
        try {
            tornDown = endLast(error, appRoot, frame);
        } catch (Throwable hookFailure) {
            failure = hookFailure;
        }
        List<StackMark.Leak> leaks = null;
        String when = null;
        if (watch && (Globals.APP.depth(frame) > appDepth || Globals.REQUEST.depth(frame) > requestDepth)) {
            when = "after the teardown hooks of " + this + " ran";
            leaks = StackMark.at(appDepth, requestDepth).popLeaks(when);
        }
        stack().pop(frame);
        // Whoever tore down says so last: the owner, or the copy that finished after it (Flask's order).
        if (tornDown && failure == null) {
            signalPopped();
        }
        if (leaks != null && app.isStrict()) {
            ContextLeakException leak = new ContextLeakException("flaskctx strict mode: teardown hooks left "
                    + leaks.size() + " context(s) pushed; all are popped now.\n"
                    + StackMark.describe(leaks, Objects.requireNonNull(when)),
                    leaks);
            if (failure != null) {
                leak.addSuppressed(failure);
            }
            return leak;
        }
        return failure;
    }

    /** Flask's {@code appcontext_popped}, for an app context that is gone. */
    final void signalPopped() {
        SignalReceiver signals = this instanceof AppContext ? app.signalReceiver() : null;
        if (signals != null) {
            signals.appcontextPopped(app);
        }
    }

    /**
     * Takes a share of this root context's lifetime for a copy: teardown waits until it is released.
     *
     * @param byOwner whether the calling thread has this context pushed (the caller found it on top of the thread's
     *     own stack), so that it is the owner, which counts its shares plainly (see {@link Lifetime})
     * @return false when the context has already torn down
     */
    final boolean acquireShare(boolean byOwner) {
        Lifetime life = lifetime;
        if (life == null) {
            // the first copy: racing copies agree on one lifetime
            LIFETIME.compareAndSet(this, null, new Lifetime(app.isCountingContexts()));
            life = Objects.requireNonNull(lifetime);
        }
        return life.acquire(byOwner);
    }

    /**
     * Releases a share of this root context; the last one after the owner's pop runs the teardown here, with a
     * copy of the context current.
     *
     * @param appRoot the app context the copies ran in, made current around a request's teardown where no copy is
     * @param byOwner whether the calling thread has this context pushed (see {@link Lifetime#release})
     * @return whether the teardown ran
     */
    final boolean releaseShare(AppContext appRoot, boolean byOwner) {
        // a share was taken, so the lifetime exists
        Lifetime life = Objects.requireNonNull(lifetime);
        if (!life.release(byOwner)) {
            return false;
        }
        Throwable error = life.error();
        C top = stack().top();
        if (top != null && top.root == this) {
            teardownLogged(error);
        } else {
            // Released where no copy is current (an abandoned or rejected task): hooks still get their context.
            tearDownWhereNoCopyIs(error, appRoot);
        }
        return true;
    }

    /** Runs the teardown after the last copy finished: the owner has long returned, so failures are logged. */
    final void teardownLogged(@Nullable Throwable error) {
        try {
            tearDown(error);
        } catch (RuntimeException | Error failure) {
            String hooks = type() == ContextType.APP ? "teardown_appcontext" : "teardown_request";
            // Logged as io.flaskctx.AppContext or io.flaskctx.RequestContext, the types users know.
            LogFactory.getLog(getClass()).warn("A " + hooks + " hook of " + this
                    + " failed after its last copy finished; the other hooks ran", failure);
        }
    }

    /** A copy's error, for the teardown of the original when the owner ended without one. */
    final void offerError(@Nullable Throwable error) {
        Lifetime.offerError(root.lifetime(), error);
    }

    /** This root's lifetime, null until it is first copied. */
    final @Nullable Lifetime lifetime() {
        return lifetime;
    }

    /** The root of this context's copies: this context, or the one it was copied from. */
    final C root() {
        return root;
    }

    /**
     * A short id that tells two contexts of one app apart in messages ({@code #1b6d3586}): the identity hash,
     * computed only when a context is printed, so pushes pay nothing for it.
     */
    final String id() {
        return "#" + Integer.toHexString(System.identityHashCode(this));
    }

    final StackMark.Leak leak() {
        PushSite site = pushSite;
        return new StackMark.Leak(type(), toString(), site == null ? null : site.caller(), site);
    }

    /** The first frame of the code that pushed this context last, or null unless push sites are captured. */
    final @Nullable String pushedAt() {
        PushSite site = pushSite;
        return site == null ? null : site.caller();
    }
}
