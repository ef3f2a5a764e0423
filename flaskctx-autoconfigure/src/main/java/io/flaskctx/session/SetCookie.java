package io.flaskctx.session;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Werkzeug's {@code dump_cookie}: the {@code Set-Cookie} header value exactly as Flask sends it, attributes
 * in Werkzeug's order ({@code Domain, Expires, Max-Age, Secure, HttpOnly, Path, SameSite, Partitioned}).
 * Written by hand rather than through the servlet container, whose cookie writer orders and formats the
 * attributes its own way.
 */
final class SetCookie {

    /** A deleted cookie's Expires (Werkzeug's {@code expires=0}). */
    static final Instant EPOCH = Instant.EPOCH;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    // urllib's quote(): letters, digits and "_.-~" are always kept; Werkzeug keeps these for paths as well
    private static final String PATH_SAFE = "%!$&'()*+,/:=@_.-~";

    private SetCookie() {
    }

    /**
     * @param expires the Expires date, or null for a cookie that ends with the browser session
     * @param maxAge the Max-Age in seconds, or null
     * @param path the Path, or null for none
     * @param domain the Domain as configured (a leading dot and a port are dropped), or null
     * @param sameSite Strict, Lax or None in any case, or null
     * @param partitioned whether to send Partitioned, which forces Secure
     * @throws IllegalArgumentException for a SameSite value Werkzeug refuses
     */
    static String dump(String name, String value, @Nullable Instant expires, @Nullable Long maxAge,
            @Nullable String path, @Nullable String domain, boolean secure, boolean httpOnly, @Nullable String sameSite,
            boolean partitioned) {
        StringBuilder out = new StringBuilder(64 + value.length());
        out.append(name).append('=').append(value);
        String cookieDomain = domain(domain);
        if (cookieDomain != null) {
            out.append("; Domain=").append(cookieDomain);
        }
        if (expires != null) {
            out.append("; Expires=").append(HttpDate.format(expires));
        }
        if (maxAge != null) {
            out.append("; Max-Age=").append(maxAge);
        }
        if (secure || partitioned) {
            out.append("; Secure");
        }
        if (httpOnly) {
            out.append("; HttpOnly");
        }
        if (path != null) {
            out.append("; Path=").append(quotePath(path));
        }
        String site = sameSite(sameSite);
        if (site != null) {
            out.append("; SameSite=").append(site);
        }
        if (partitioned) {
            out.append("; Partitioned");
        }
        return out.toString();
    }

    /** Werkzeug's path quoting: percent-encodes (UTF-8) what is not safe in a path segment or is ';'. */
    static String quotePath(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || PATH_SAFE.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** {@code .Example.COM:8080} becomes {@code Example.COM}; non-ASCII names become IDNA, as in Werkzeug. */
    static @Nullable String domain(@Nullable String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        int colon = domain.indexOf(':');
        String host = colon >= 0 ? domain.substring(0, colon) : domain;
        int start = 0;
        while (start < host.length() && host.charAt(start) == '.') {
            start++;
        }
        host = host.substring(start);
        return host.chars().allMatch(c -> c < 0x80) ? host : IDN.toASCII(host);
    }

    /**
     * Werkzeug's SameSite check: title-cased, one of Strict, Lax, None.
     *
     * @return the attribute value, or null when {@code sameSite} is null
     * @throws IllegalArgumentException for any other value
     */
    static @Nullable String sameSite(@Nullable String sameSite) {
        if (sameSite == null) {
            return null;
        }
        String titled = sameSite.isEmpty() ? sameSite
                : sameSite.substring(0, 1).toUpperCase(Locale.ROOT) + sameSite.substring(1).toLowerCase(Locale.ROOT);
        if (!titled.equals("Strict") && !titled.equals("Lax") && !titled.equals("None")) {
            throw new IllegalArgumentException("SameSite must be 'Strict', 'Lax', or 'None', not '" + sameSite + "'");
        }
        return titled;
    }
}
