package io.flaskctx.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which requests get contexts and hooks: {@code flaskctx.web.include-patterns} minus
 * {@code flaskctx.web.exclude-patterns}, matched as Spring MVC matches handler paths (within the application,
 * undecoded). With the defaults ({@code /**}, nothing excluded) every request matches without parsing its path.
 */
final class ContextPaths {

    private final List<PathPattern> include;
    private final List<PathPattern> exclude;
    private final boolean everything;

    /**
     * @param include patterns to match, e.g. {@code /**}
     * @param exclude patterns to leave out, e.g. {@code /actuator/**}
     * @throws org.springframework.web.util.pattern.PatternParseException for a malformed pattern
     */
    ContextPaths(List<String> include, List<String> exclude) {
        this.include = include.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.exclude = exclude.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.everything = exclude.isEmpty() && include.contains("/**");
    }

    static ContextPaths all() {
        return new ContextPaths(List.of("/**"), List.of());
    }

    boolean matches(HttpServletRequest request) {
        if (everything) {
            return true;
        }
        PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
        for (PathPattern pattern : exclude) {
            if (pattern.matches(path)) {
                return false;
            }
        }
        for (PathPattern pattern : include) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
