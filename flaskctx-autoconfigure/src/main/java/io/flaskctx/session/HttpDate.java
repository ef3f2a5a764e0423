package io.flaskctx.session;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Werkzeug's {@code http_date} and {@code parse_date}: how the {@code " d"} tag writes a datetime
 * ({@code Tue, 02 Jan 2024 03:04:05 GMT}, whole seconds, UTC) and how it reads one back, and how a cookie's
 * {@code Expires} is written. Reading accepts the RFC 2822 forms Python's {@code email.utils} accepts (day
 * name optional, two-digit years, numeric and North American zones) and gives null for anything else, as
 * Werkzeug does.
 */
final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};
    private static final List<String> MONTH_NAMES = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec", "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("UT", 0), Map.entry("UTC", 0),
            Map.entry("GMT", 0), Map.entry("Z", 0), Map.entry("AST", -400), Map.entry("ADT", -300),
            Map.entry("EST", -500), Map.entry("EDT", -400), Map.entry("CST", -600), Map.entry("CDT", -500),
            Map.entry("MST", -700), Map.entry("MDT", -600), Map.entry("PST", -800), Map.entry("PDT", -700));
    // Python's datetime spans years 1 to 9999
    private static final long MIN_SECOND = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private HttpDate() {
    }

    /**
     * @param instant a time within Python's datetime range (years 1 to 9999); fractions of a second dropped
     * @throws IllegalArgumentException outside that range
     */
    static String format(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < MIN_SECOND || second > MAX_SECOND) {
            throw new IllegalArgumentException(instant + " is outside the years 1 to 9999 that a Flask session"
                    + " (Python's datetime) can hold");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(29);
        out.append(DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
        two(out, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        String year = Integer.toString(t.getYear());
        out.append("0".repeat(4 - year.length())).append(year).append(' ');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        return two(out, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }

    /**
     * Parses a date the way {@code email.utils.parsedate_to_datetime} does; a date without a known zone is
     * UTC, as Werkzeug makes it.
     *
     * @return the instant, or null for text Python cannot read as a date
     */
    static @Nullable Instant parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(text.trim().split("\\s+")));
        String first = parts.get(0);
        if (first.endsWith(",") || DAY_NAMES.contains(first.toLowerCase(Locale.ROOT))) {
            parts.remove(0);
        } else if (first.lastIndexOf(',') >= 0) {
            parts.set(0, first.substring(first.lastIndexOf(',') + 1));
        }
        if (parts.size() == 3) {
            // RFC 850: 02-Jan-24 03:04:05 GMT
            String[] dayMonthYear = parts.get(0).split("-", -1);
            if (dayMonthYear.length == 3) {
                List<String> expanded = new ArrayList<>(List.of(dayMonthYear));
                expanded.addAll(parts.subList(1, 3));
                parts = expanded;
            }
        }
        if (parts.size() == 4) {
            String last = parts.get(3);
            int sign = last.indexOf('+');
            if (sign == -1) {
                sign = last.indexOf('-');
            }
            if (sign > 0) {
                parts.set(3, last.substring(0, sign));
                parts.add(last.substring(sign));
            } else {
                parts.add("");
            }
        }
        if (parts.size() < 5) {
            return null;
        }
        String day = parts.get(0);
        String month = parts.get(1).toLowerCase(Locale.ROOT);
        String year = parts.get(2);
        String time = parts.get(3);
        String zone = parts.get(4);
        if (day.isEmpty() || month.isEmpty() || year.isEmpty()) {
            return null;
        }
        if (!MONTH_NAMES.contains(month)) {
            String swapped = day.toLowerCase(Locale.ROOT);
            day = month;
            month = swapped;
            if (!MONTH_NAMES.contains(month)) {
                return null;
            }
        }
        int monthNumber = MONTH_NAMES.indexOf(month) % 12 + 1;
        day = stripComma(day);
        if (year.indexOf(':') > 0) {
            String swapped = year;
            year = time;
            time = swapped;
        }
        if (year.endsWith(",")) {
            year = stripComma(year);
            if (year.isEmpty()) {
                return null;
            }
        }
        if (!Character.isDigit(year.charAt(0))) {
            String swapped = year;
            year = zone;
            zone = swapped;
        }
        time = stripComma(time);
        String[] clock = time.split(":", -1);
        if (clock.length == 1 && time.contains(".")) {
            clock = time.split("\\.", -1);
        }
        if (clock.length != 2 && clock.length != 3) {
            return null;
        }
        try {
            int yearNumber = Integer.parseInt(year);
            if (yearNumber >= 0 && yearNumber < 100) {
                yearNumber += yearNumber > 68 ? 1900 : 2000;
            }
            LocalDateTime local = LocalDateTime.of(yearNumber, monthNumber, Integer.parseInt(day),
                    Integer.parseInt(clock[0]), Integer.parseInt(clock[1]),
                    clock.length == 3 ? Integer.parseInt(clock[2]) : 0);
            long second = local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds(zone);
            return yearNumber < 1 || yearNumber > 9999 ? null : Instant.ofEpochSecond(second);
        } catch (NumberFormatException | DateTimeException | ArithmeticException notADate) {
            return null;
        }
    }

    private static String stripComma(String text) {
        return text.endsWith(",") ? text.substring(0, text.length() - 1) : text;
    }

    /** The zone as seconds east of UTC; zones Python does not know (and "-0000") mean UTC. */
    private static long offsetSeconds(String zone) {
        Integer hhmm = ZONES.get(zone.toUpperCase(Locale.ROOT));
        if (hhmm == null) {
            try {
                hhmm = Integer.parseInt(zone);
            } catch (NumberFormatException unknown) {
                return 0;
            }
        }
        int magnitude = Math.abs(hhmm);
        long seconds = (magnitude / 100) * 3600L + (magnitude % 100) * 60L;
        if (seconds >= 86_400) {
            // Python's timezone() refuses offsets of a day or more
            throw new DateTimeException("offset out of range");
        }
        return hhmm < 0 ? -seconds : seconds;
    }
}
