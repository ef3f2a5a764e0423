package io.flaskctx;

/**
 * Whether each push records where it happened, so that leak reports, wrong-order pops and the depth guard can
 * name the line of code that pushed a context. Flask has no counterpart. Off by default: a stack trace per
 * push is cheap enough for tests and staging, not for production traffic.
 */
public final class PushSites {

    private static volatile boolean capture;

    private PushSites() {
    }

    /** @param enabled whether every push from now on records its stack trace */
    public static void capture(boolean enabled) {
        capture = enabled;
    }

    /** @return whether pushes record their stack trace */
    public static boolean captured() {
        return capture;
    }

    /** The stack trace of a push, or null when capture is off. */
    static PushSite here(Object context) {
        return capture ? new PushSite(context) : null;
    }

    /** A push's stack trace; its message names the first frame outside flaskctx. */
    static final class PushSite extends Throwable {

        private static final long serialVersionUID = 1L;

        PushSite(Object context) {
            super(context + " was pushed here");
        }

        /** @return the first frame of the code that pushed, e.g. {@code com.shop.Job.run(Job.java:42)} */
        String caller() {
            for (StackTraceElement frame : getStackTrace()) {
                if (!isFlaskctx(frame.getClassName())) {
                    return frame.toString();
                }
            }
            return "unknown";
        }

        private static boolean isFlaskctx(String type) {
            return type.startsWith("io.flaskctx.web.") || type.startsWith("io.flaskctx.local.")
                    || type.startsWith(AppContext.class.getName()) || type.startsWith(RequestContext.class.getName())
                    || type.startsWith(ContextState.class.getName()) || type.startsWith(PushSites.class.getName())
                    || type.startsWith(FlaskApp.class.getName());
        }
    }
}
