package io.flaskctx.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.jspecify.annotations.Nullable;

/**
 * The start-up report for an application from which the Servlet API was excluded: flaskctx's public types name
 * {@code HttpServletRequest}, so Spring cannot introspect them without the API's classes, even in an application
 * with no web stack. The starter brings the jar; this names the exclusion as the cause.
 */
class MissingServletApiFailureAnalyzer extends AbstractFailureAnalyzer<NoClassDefFoundError> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoClassDefFoundError cause) {
        String missing = cause.getMessage();
        if (missing == null || !missing.startsWith("jakarta/servlet/") || !involvesFlaskctx(rootFailure)) {
            return null;
        }
        return new FailureAnalysis("flaskctx needs the Servlet API's classes, but " + missing.replace('/', '.')
                + " is not on the classpath. flaskctx-spring-boot-starter brings them (jakarta.servlet-api, the"
                + " interfaces only: the application stays a non-web application); they were excluded.",
                "Remove the exclusion of jakarta.servlet:jakarta.servlet-api from the flaskctx-spring-boot-starter"
                        + " dependency, or add that dependency yourself.", cause);
    }

    private static boolean involvesFlaskctx(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("io.flaskctx.") || message.contains("io/flaskctx/"))) {
                return true;
            }
        }
        return false;
    }
}
