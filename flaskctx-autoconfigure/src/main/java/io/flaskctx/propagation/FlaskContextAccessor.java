package io.flaskctx.propagation;

import io.flaskctx.ContextCopy;
import io.flaskctx.Flask;
import io.flaskctx.local.LocalStack;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * flaskctx's contexts for Micrometer context-propagation, registered through {@code ServiceLoader}: a
 * {@code ContextSnapshot} captures them (as a {@link ContextCopy}, so teardown waits for the work), and
 * restores them on the thread that runs the work, alongside MDC, tracing and security.
 *
 * <p>Contexts live on stacks, so "setting" pushes copies and "restoring" pops exactly what was pushed; contexts
 * already on the target thread stay underneath. A snapshot without flaskctx contexts leaves the thread's own
 * contexts in place rather than hiding them. A request {@linkplain ContextCopy#handOffCurrentRequest() handed
 * off} is not captured: the copy handed off carries it to its work (Spring MVC's task for a handler's
 * {@code Callable}), and a snapshot's copy would hold the request's teardown until that task returned.
 */
public final class FlaskContextAccessor implements ThreadLocalAccessor<ContextCopy> {

    /** The key under which the contexts travel in a snapshot. */
    public static final String KEY = "io.flaskctx";

    private static final Object NOTHING = new Object();

    // What each setValue pushed on this thread, so that restore pops exactly that.
    private static final LocalStack<Object> entered = new LocalStack<>();

    /** Creates the accessor. */
    public FlaskContextAccessor() {
    }

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public @Nullable ContextCopy getValue() {
        try {
            if (Flask.hasRequestContext()) {
                // handed off: a copy already carries the contexts to the work (see the class comment)
                return ContextCopy.isHandedOff() ? null : Flask.copyCurrentRequestContext();
            }
            return Flask.hasAppContext() ? Flask.copyCurrentAppContext() : null;
        } catch (IllegalStateException tearingDown) {
            // the current contexts are running their last teardown: there is nothing left to carry
            return null;
        }
    }

    @Override
    public void setValue(ContextCopy copy) {
        Object scope = NOTHING;
        try {
            scope = copy.enter();
        } catch (IllegalStateException tornDown) {
            // the contexts ended before the work ran: it runs without them, and says so if it needs them
        }
        entered.push(scope);
    }

    @Override
    public void setValue() {
        entered.push(NOTHING);
    }

    @Override
    public void restore(ContextCopy previous) {
        exit();
        if (previous != null) {
            // captured from this thread only to be restored; what it restores is still underneath
            previous.close();
        }
    }

    @Override
    public void restore() {
        exit();
    }

    private static void exit() {
        Object scope = entered.pop();
        if (scope instanceof ContextCopy.Scope copies) {
            copies.close();
        }
    }
}
