package io.flaskctx;

/**
 * Where a context was pushed: the stack trace of the push, recorded only when its app captures push sites
 * ({@link FlaskApp#setCapturePushSites(boolean)}), so that leak reports, wrong-order pops and the depth guard
 * can name the line of code that pushed it. Flask has no counterpart.
 */
final class PushSite extends Throwable {

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
                || type.startsWith(ContextState.class.getName()) || type.startsWith(PushSite.class.getName())
                || type.startsWith(FlaskApp.class.getName());
    }
}
