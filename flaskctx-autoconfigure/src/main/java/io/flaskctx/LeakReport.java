package io.flaskctx;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the user about one app's contexts found left pushed: a WARN line per distinct push site (one leaking
 * line of code would otherwise flood the log). Kept by the app, so that another application context in the
 * same JVM (a DevTools restart, a second test context) reports its own leaks again.
 */
final class LeakReport {

    private static final Log logger = LogFactory.getLog(LeakReport.class);
    private static final int MAX_REMEMBERED_SITES = 1024;

    private final Set<String> reportedSites = ConcurrentHashMap.newKeySet();

    /**
     * Logs {@code leak} at WARN unless its push site was reported before.
     *
     * @return whether it was logged
     */
    boolean report(StackMark.Leak leak, String when) {
        // Without a captured site all leaks of one kind look alike: the first one stands for them.
        String site = leak.pushedAt() != null ? leak.pushedAt() : leak.type().name();
        boolean first = reportedSites.size() < MAX_REMEMBERED_SITES ? reportedSites.add(site)
                : !reportedSites.contains(site);
        if (first) {
            logger.warn(message(leak, when), leak.pushSite());
        }
        return first;
    }

    /** The text for {@code leaks}, one line each. */
    static String describe(List<StackMark.Leak> leaks, String when) {
        StringBuilder all = new StringBuilder();
        for (StackMark.Leak leak : leaks) {
            all.append(all.length() == 0 ? "" : "\n").append(message(leak, when));
        }
        return all.toString();
    }

    private static String message(StackMark.Leak leak, String when) {
        return "flaskctx: " + leak.context() + " was still pushed " + when + "; it was popped and its teardown hooks"
                + " ran. " + (leak.pushedAt() != null ? "It was pushed at " + leak.pushedAt() + ". "
                        : "To see where it was pushed, capture push sites (flaskctx.debug.capture-push-sites=true,"
                                + " or FlaskApp.setCapturePushSites(true)). ")
                + "Pop every context you push: try (var ctx = app.appContext().push()) { ... }";
    }
}
