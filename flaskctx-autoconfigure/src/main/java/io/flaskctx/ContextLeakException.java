package io.flaskctx;

import java.util.List;

/**
 * Thrown in strict mode ({@link FlaskApp#setStrict(boolean)}) when contexts were found left pushed where none
 * may be: for example by a teardown hook that pushed a context and never popped it. It is thrown only after
 * everything was cleaned up: the leaked contexts are popped (their teardown ran), counted and logged, and the
 * context whose pop found them is popped too; failures of teardown hooks on the way are attached as suppressed.
 * flaskctx only: Flask leaks such contexts silently.
 */
public final class ContextLeakException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient List<StackMark.Leak> leaks;

    /**
     * Creates the exception.
     *
     * @param message what leaked and where, e.g. {@link StackMark#describe(List, String)}
     * @param leaks the contexts found and popped, newest first
     */
    public ContextLeakException(String message, List<StackMark.Leak> leaks) {
        super(message);
        this.leaks = List.copyOf(leaks);
    }

    /**
     * {@return the contexts found left pushed, and popped, newest first}
     */
    public List<StackMark.Leak> leaks() {
        return leaks;
    }
}
