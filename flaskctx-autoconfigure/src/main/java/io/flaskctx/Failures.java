package io.flaskctx;

import org.jspecify.annotations.Nullable;

/**
 * Collects what several hooks threw so that one failing hook never stops the others: the first failure is
 * rethrown at the end with the later ones attached as suppressed exceptions. Static, so that the common case
 * (nothing fails) allocates nothing.
 */
final class Failures {

    private Failures() {
    }

    /**
     * @param first the failure collected so far, or null
     * @param failure the next one
     * @return the first failure, with {@code failure} attached to it as suppressed when there already was one
     */
    static Throwable add(@Nullable Throwable first, Throwable failure) {
        if (first == null) {
            return failure;
        }
        if (failure != first) {
            first.addSuppressed(failure);
        }
        return first;
    }

    /** Rethrows {@code first} unchanged, if there is one. */
    static void rethrow(@Nullable Throwable first) {
        if (first != null) {
            throw Failures.<RuntimeException>sneaky(first);
        }
    }

    /** Rethrows {@code failure} unchanged, checked or not (hooks may throw checked exceptions). */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable failure) throws T {
        throw (T) failure;
    }
}
