package io.flaskctx.web;

import io.flaskctx.StackMark;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the user about contexts found left pushed on a request's thread: a WARN line per distinct push site
 * (one leaking line of code would otherwise flood the log), and in strict mode an exception to fail with.
 */
final class LeakReport {

    private static final Log logger = LogFactory.getLog(LeakReport.class);
    private static final int MAX_REMEMBERED_SITES = 1024;
    private static final Set<String> reportedSites = ConcurrentHashMap.newKeySet();

    private LeakReport() {
    }

    /**
     * @param leaks what was found and popped
     * @param when e.g. "when GET /orders ended"
     * @return the message describing them all
     */
    static String report(List<StackMark.Leak> leaks, String when) {
        StringBuilder all = new StringBuilder();
        for (StackMark.Leak leak : leaks) {
            String message = "flaskctx: " + leak.context() + " was still pushed " + when + "; it was popped and its"
                    + " teardown hooks ran. "
                    + (leak.pushedAt() != null ? "It was pushed at " + leak.pushedAt() + ". "
                            : "Set flaskctx.debug.capture-push-sites=true to see where it was pushed. ")
                    + "Pop every context you push: try (var ctx = app.appContext().push()) { ... }";
            all.append(all.length() == 0 ? "" : "\n").append(message);
            String site = leak.pushedAt() != null ? leak.pushedAt() : leak.context();
            if (reportedSites.size() < MAX_REMEMBERED_SITES ? reportedSites.add(site) : !reportedSites.contains(site)) {
                logger.warn(message, leak.pushSite());
            }
        }
        return all.toString();
    }
}
