package io.flaskctx.session;

import io.flaskctx.Markup;
import io.flaskctx.Tuple;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code TaggedJSONSerializer.dumps} as Flask runs it inside a request: the value is tagged (tuple,
 * bytes, Markup, UUID, datetime, and the {@code " di"} escape for a one-key map whose key is a tag) and
 * written as Flask's JSON provider writes it, so that the text matches Flask's byte for byte: compact
 * separators, keys sorted by Unicode code point, only ASCII ({@code \u00e9}, surrogate pairs for astral
 * characters), Python's float repr and {@code NaN}/{@code Infinity}, integers of any size.
 *
 * <p>Values with no JSON form in Flask get the form Flask's provider gives them, untagged: a
 * {@link LocalDate} (Python's {@code date}) becomes an HTTP date string, a {@link BigDecimal}
 * ({@code Decimal}) its string, a record (a dataclass) a map of its components. Anything else is refused
 * with an {@link IllegalArgumentException} naming the type, as Python's {@code json} raises
 * {@code TypeError}.
 */
final class TaggedJsonWriter {

    /** The tag keys, for the {@code " di"} escape of a one-key map whose key is one of them. */
    static final Set<String> TAGS = Set.of(" di", " t", " b", " m", " u", " d");

    /** Deeper nesting than this is refused (a map holding itself would otherwise overflow the stack). */
    static final int MAX_DEPTH = 512;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String TYPES = "Maps, Lists, Tuples, Strings, whole and floating-point numbers,"
            + " booleans, null, byte[], Markup, UUIDs, Instants (or Zoned/Offset/LocalDateTimes, Dates),"
            + " LocalDates, BigDecimals and records of these";

    private TaggedJsonWriter() {
    }

    /**
     * @param value the value to write
     * @return Flask's JSON text for it, ASCII only
     * @throws IllegalArgumentException naming the first value that Flask's session cannot hold
     */
    static String dumps(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out, true, 0);
        return out.toString();
    }

    /**
     * Writes {@code value}; {@code tagged} is false below a record, where Flask's provider writes plain
     * JSON without tags (a dataclass's tuple becomes a list, its UUID a string).
     */
    private static void write(Object value, StringBuilder out, boolean tagged, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("A session value is nested more than " + MAX_DEPTH + " levels deep,"
                    + " or contains itself");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(text, out);
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue() ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            out.append(FloatRepr.of(((Number) value).doubleValue()));
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, out, tagged, depth);
        } else if (value instanceof Tuple tuple) {
            if (tagged) {
                out.append("{\" t\":");
                writeList(tuple, out, true, depth);
                out.append('}');
            } else {
                writeList(tuple, out, false, depth);
            }
        } else if (value instanceof List<?> list) {
            writeList(list, out, tagged, depth);
        } else if (value instanceof Markup markup) {
            if (tagged) {
                out.append("{\" m\":");
                writeString(markup.toString(), out);
                out.append('}');
            } else {
                writeString(markup.toString(), out);
            }
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(value.toString(), out);
        } else if (value instanceof byte[] bytes) {
            if (!tagged) {
                throw new IllegalArgumentException("A byte[] inside a record cannot go into Flask's session: Flask"
                        + " writes a dataclass's fields as plain JSON, which has no bytes. Put the bytes in a Map"
                        + " instead of a record.");
            }
            out.append("{\" b\":\"").append(LenientBase64.encode(bytes)).append("\"}");
        } else if (value instanceof UUID uuid) {
            if (tagged) {
                out.append("{\" u\":\"").append(uuid.toString().replace("-", "")).append("\"}");
            } else {
                out.append('"').append(uuid).append('"');
            }
        } else if (instant(value) != null) {
            String date = HttpDate.format(Objects.requireNonNull(instant(value)));
            out.append(tagged ? "{\" d\":\"" : "\"").append(date).append(tagged ? "\"}" : "\"");
        } else if (value instanceof LocalDate date) {
            out.append('"').append(HttpDate.format(date.atStartOfDay(ZoneOffset.UTC).toInstant())).append('"');
        } else if (value instanceof BigDecimal decimal) {
            out.append('"').append(decimal).append('"');
        } else if (value instanceof Record record) {
            writeRecord(record, out, depth);
        } else {
            throw new IllegalArgumentException("A " + value.getClass().getName() + " cannot go into Flask's session"
                    + hint(value) + ". A session holds " + TYPES + ".");
        }
    }

    private static String hint(Object value) {
        if (value instanceof Collection<?>) {
            return " (Python's json has no sets either: store a List)";
        }
        if (value.getClass().isArray()) {
            return " (store a List; only byte[] has a form of its own)";
        }
        if (value instanceof Enum<?>) {
            return " (store its name())";
        }
        return "";
    }

    /** The datetime types, as an instant; a date-time without a zone is UTC, as Flask treats a naive one. */
    private static @Nullable Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Date date) {
            return Instant.ofEpochMilli(date.getTime());
        }
        return null;
    }

    private static void writeList(List<?> list, StringBuilder out, boolean tagged, int depth) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(item, out, tagged, depth + 1);
        }
        out.append(']');
    }

    private static void writeMap(Map<?, ?> map, StringBuilder out, boolean tagged, int depth) {
        if (tagged && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            if (only.getKey() instanceof CharSequence key && TAGS.contains(key.toString())) {
                // Flask's TagDict: a one-key map whose key is a tag would read back as that tag
                out.append("{\" di\":{");
                writeString(key + "__", out);
                out.append(':');
                write(only.getValue(), out, true, depth + 2);
                out.append("}}");
                return;
            }
        }
        String[] keys = new String[map.size()];
        Object[] values = new Object[keys.length];
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        boolean allText = true;
        for (int i = 0; i < keys.length; i++) {
            Map.Entry<?, ?> entry = entries.next();
            Object key = entry.getKey();
            allText &= key instanceof CharSequence;
            keys[i] = keyText(key);
            values[i] = entry.getValue();
        }
        Integer[] order = sortedOrder(map, keys, allText);
        out.append('{');
        for (int i = 0; i < keys.length; i++) {
            int at = order[i];
            if (i > 0) {
                out.append(',');
            }
            writeString(keys[at], out);
            out.append(':');
            write(values[at], out, tagged, depth + 1);
        }
        out.append('}');
    }

    /** Python's json turns int, float, bool and None keys into strings and refuses the rest. */
    private static String keyText(Object key) {
        if (key instanceof CharSequence || key instanceof Character) {
            return key.toString();
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean bool) {
            return bool ? "true" : "false";
        }
        if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
                || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof Double || key instanceof Float) {
            return FloatRepr.of(((Number) key).doubleValue());
        }
        throw new IllegalArgumentException("A map key of type " + key.getClass().getName() + " cannot go into"
                + " Flask's session: keys must be strings, whole or floating-point numbers, booleans or null");
    }

    /**
     * The order Python's {@code sort_keys} gives: it sorts the original keys, so numbers sort as numbers
     * ({@code 9} before {@code 10}), and a mix of strings and numbers cannot be sorted at all.
     */
    private static Integer[] sortedOrder(Map<?, ?> map, String[] keys, boolean allText) {
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (keys.length < 2) {
            return order;
        }
        if (allText) {
            Arrays.sort(order, (a, b) -> compareCodePoints(keys[a], keys[b]));
            return order;
        }
        Object[] numbers = new Object[keys.length];
        int i = 0;
        for (Object key : map.keySet()) {
            numbers[i++] = numericKey(key);
        }
        Arrays.sort(order, (a, b) -> compareNumbers(numbers[a], numbers[b]));
        return order;
    }

    /** A key as a number to sort by: a BigDecimal, or a Double for an infinity (or NaN). */
    private static Object numericKey(Object key) {
        if (key instanceof Boolean bool) {
            return bool ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (key instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (key instanceof Double || key instanceof Float) {
            double d = ((Number) key).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : (Object) d;
        }
        if (key instanceof Number number) {
            return BigDecimal.valueOf(number.longValue());
        }
        throw new IllegalArgumentException("The keys of a map in Flask's session must all be strings or all be"
                + " numbers, since Python sorts them and cannot compare a " + describe(key) + " with the others");
    }

    private static int compareNumbers(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }

    private static String describe(Object key) {
        return key == null ? "null key" : key.getClass().getSimpleName() + " key";
    }

    private static void writeRecord(Record record, StringBuilder out, int depth) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : components) {
            try {
                Method accessor = component.getAccessor();
                if (!accessor.canAccess(record) && !accessor.trySetAccessible()) {
                    throw new IllegalArgumentException("Cannot read " + record.getClass().getName() + "."
                            + component.getName() + "() to put the record into Flask's session");
                }
                fields.put(component.getName(), accessor.invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("Cannot read " + record.getClass().getName() + "."
                        + component.getName() + "() to put the record into Flask's session", e);
            }
        }
        // A dataclass's fields are written untagged, after tagging has run (Flask's provider default()).
        writeMap(fields, out, false, depth + 1);
    }

    /** Python's {@code json} string with {@code ensure_ascii}: printable ASCII as is, the rest escaped. */
    static void writeString(String text, StringBuilder out) {
        out.append('"');
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        out.append(text, start, length).append('"');
    }

    /**
     * Compares by Unicode code point. Where two strings first differ in a UTF-16 unit, surrogates (astral
     * characters) move above U+E000..U+FFFF, which they precede as units but follow as code points.
     */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        if (c < 0xd800) {
            return c;
        }
        return c >= 0xe000 ? c - 0x800 : c + 0x2000;
    }
}
