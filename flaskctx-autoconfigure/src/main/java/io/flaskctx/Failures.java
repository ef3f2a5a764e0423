package io.flaskctx;

/**
 * Collects what several hooks threw so that one failing hook never stops the others: the first failure is
 * rethrown at the end with the later ones attached as suppressed exceptions.
 */
final class Failures {

    private Throwable first;

    void add(Throwable failure) {
        if (first == null) {
            first = failure;
        } else if (failure != first) {
            first.addSuppressed(failure);
        }
    }

    Throwable first() {
        return first;
    }

    void rethrow() {
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
