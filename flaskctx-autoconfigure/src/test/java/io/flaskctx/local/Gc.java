package io.flaskctx.local;

import java.lang.ref.WeakReference;

/** Runs the garbage collector until a weak reference clears, or gives up. */
public final class Gc {

    private Gc() {
    }

    public static boolean collects(WeakReference<?> ref) {
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            byte[][] pressure = new byte[16][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[64 * 1024];
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ref.get() == null;
    }
}
