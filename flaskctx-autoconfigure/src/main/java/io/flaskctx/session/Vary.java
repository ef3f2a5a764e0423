package io.flaskctx.session;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;

/**
 * Werkzeug's {@code response.vary.add("Cookie")}: tells caches that the response depends on the cookies, so
 * that one visitor's page is not served to another. Added once, whatever {@code Vary} already holds.
 */
final class Vary {

    private Vary() {
    }

    static void addCookie(HttpServletResponse response) {
        for (String header : response.getHeaders("Vary")) {
            for (String field : header.split(",")) {
                String name = field.trim().toLowerCase(Locale.ROOT);
                if (name.equals("cookie") || name.equals("*")) {
                    return;
                }
            }
        }
        response.addHeader("Vary", "Cookie");
    }
}
