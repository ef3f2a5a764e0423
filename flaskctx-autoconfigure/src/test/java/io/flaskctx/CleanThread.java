package io.flaskctx;

/** For tests: empties this thread's stacks so that one failing test cannot spoil the next ones. */
final class CleanThread {

    private CleanThread() {
    }

    /** @return whether anything had been left pushed */
    static boolean wasLeftWithContexts() {
        boolean dirty = Globals.APP.depth() > 0 || Globals.REQUEST.depth() > 0;
        while (Globals.REQUEST.pop() != null) {
            // drop
        }
        while (Globals.APP.pop() != null) {
            // drop
        }
        return dirty;
    }
}
