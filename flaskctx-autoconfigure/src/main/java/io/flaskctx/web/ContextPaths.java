package io.flaskctx.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which requests get contexts and hooks: {@code flaskctx.web.include-patterns} minus
 * {@code flaskctx.web.exclude-patterns}, matched as Spring MVC matches handler paths (within the application,
 * undecoded). With the defaults ({@code /**}, nothing excluded) every request matches without looking at its
 * path; a pattern that is a plain prefix ({@code /actuator/**}) is checked against a plain path (no {@code ;} or
 * {@code %}) by comparing strings, without parsing it.
 */
final class ContextPaths {

    private final Pattern[] include;
    private final Pattern[] exclude;
    private final boolean everything;

    /** A parsed pattern, and its literal prefix when it is nothing but {@code prefix/**}. */
    private record Pattern(PathPattern parsed, @Nullable String prefix) {

        static Pattern of(String text) {
            PathPattern parsed = PathPatternParser.defaultInstance.parse(text);
            String prefix = null;
            if (text.endsWith("/**")) {
                String head = text.substring(0, text.length() - 3);
                if (head.chars().noneMatch(c -> "*?{}\\;%".indexOf(c) >= 0)) {
                    prefix = head;
                }
            }
            return new Pattern(parsed, prefix);
        }

        /** @return the answer for a plain path, or null when only the parsed pattern can tell */
        @Nullable Boolean matchesPlain(String path) {
            if (prefix == null) {
                return null;
            }
            return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
        }
    }

    /**
     * @param include patterns to match, e.g. {@code /**}
     * @param exclude patterns to leave out, e.g. {@code /actuator/**}
     * @throws org.springframework.web.util.pattern.PatternParseException for a malformed pattern
     */
    ContextPaths(List<String> include, List<String> exclude) {
        this.include = include.stream().map(Pattern::of).toArray(Pattern[]::new);
        this.exclude = exclude.stream().map(Pattern::of).toArray(Pattern[]::new);
        this.everything = exclude.isEmpty() && include.contains("/**");
    }

    static ContextPaths all() {
        return new ContextPaths(List.of("/**"), List.of());
    }

    boolean matches(HttpServletRequest request) {
        if (everything) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean plain = path.indexOf(';') < 0 && path.indexOf('%') < 0;
        PathContainer parsed = null;
        for (int i = 0; i < exclude.length + include.length; i++) {
            boolean excluding = i < exclude.length;
            Pattern pattern = excluding ? exclude[i] : include[i - exclude.length];
            Boolean answer = plain ? pattern.matchesPlain(path) : null;
            if (answer == null) {
                if (parsed == null) {
                    parsed = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                            .pathWithinApplication();
                }
                answer = pattern.parsed().matches(parsed);
            }
            if (answer) {
                return !excluding;
            }
        }
        return false;
    }
}
