package io.flaskctx.session;

import jakarta.servlet.http.HttpServletResponse;
import java.util.StringJoiner;

/**
 * Werkzeug's {@code response.vary.add("Cookie")}: tells caches that the response depends on the cookies, so
 * that one visitor's page is not served to another. Like Werkzeug, it writes one {@code Vary} line: the fields
 * already there, then {@code Cookie}. Nothing is added when {@code Cookie} is there (in any case) or the
 * response varies on everything ({@code *}). Unlike Werkzeug, which reads only the first {@code Vary} line and
 * drops the others, the fields of every line are kept.
 */
final class Vary {

    private Vary() {
    }

    static void addCookie(HttpServletResponse response) {
        StringJoiner fields = new StringJoiner(", ");
        for (String header : response.getHeaders("Vary")) {
            for (String field : header.split(",")) {
                String name = field.trim();
                if (name.equalsIgnoreCase("cookie") || name.equals("*")) {
                    return;
                }
                if (!name.isEmpty()) {
                    fields.add(name);
                }
            }
        }
        fields.add("Cookie");
        // setHeader replaces every earlier line: caches must see the fields as one list
        response.setHeader("Vary", fields.toString());
    }
}
