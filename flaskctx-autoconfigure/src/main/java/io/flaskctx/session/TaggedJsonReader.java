package io.flaskctx.session;

import io.flaskctx.Markup;
import io.flaskctx.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Flask's {@code TaggedJSONSerializer.loads}: reads JSON as Python's {@code json.loads} does and turns the
 * tags back into values. It accepts what Python accepts ({@code NaN}, {@code Infinity}, {@code -Infinity},
 * integers of any size up to Python's 4300 digits, lone surrogates in {@code \\u} escapes, repeated keys,
 * the last one winning) and refuses what Python refuses (control characters in strings, trailing commas,
 * single quotes, leading zeros, extra text), with an {@link IllegalArgumentException}.
 *
 * <p>Values come back as {@link LinkedHashMap} (in the text's order), {@link ArrayList}, {@link String},
 * {@link Long} (or {@link BigInteger} beyond it), {@link Double}, {@link Boolean} and null; tags as
 * {@link Tuple}, {@code byte[]}, {@link Markup}, {@link UUID} and {@link java.time.Instant}. Tagged values
 * Python cannot convert are refused too, as Flask fails on them.
 */
final class TaggedJsonReader {

    /** Python refuses to convert longer decimal integers ({@code sys.get_int_max_str_digits()}). */
    private static final int MAX_INT_DIGITS = 4300;

    private final String text;
    private int pos;
    private int depth;

    private TaggedJsonReader(String text) {
        this.text = text;
    }

    /**
     * @param text JSON text
     * @return its value, untagged
     * @throws IllegalArgumentException when Python's {@code json.loads} or Flask's untagging would fail
     */
    static @Nullable Object loads(String text) {
        TaggedJsonReader reader = new TaggedJsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("Extra data");
        }
        return value;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at char " + pos);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private @Nullable Object value() {
        if (pos >= text.length()) {
            throw error("Expecting value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"':
                return string();
            case '{':
                return object();
            case '[':
                return array();
            case 'n':
                return literal("null", null);
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'N':
                return literal("NaN", Double.NaN);
            case 'I':
                return literal("Infinity", Double.POSITIVE_INFINITY);
            default:
                if (text.startsWith("-Infinity", pos)) {
                    pos += 9;
                    return Double.NEGATIVE_INFINITY;
                }
                return number();
        }
    }

    private @Nullable Object literal(String word, @Nullable Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("Expecting value");
        }
        pos += word.length();
        return value;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            pos = start;
            throw error("Expecting value");
        }
        boolean integral = true;
        if (peek() == '.' && isDigit(pos + 1)) {
            pos++;
            digits();
            integral = false;
        }
        if ((peek() == 'e' || peek() == 'E')) {
            int mark = pos;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (isDigit(pos)) {
                digits();
                integral = false;
            } else {
                // not an exponent: the number ends before the 'e' (and the 'e' is then extra data)
                pos = mark;
            }
        }
        String number = text.substring(start, pos);
        if (!integral) {
            return Double.parseDouble(number);
        }
        int digitCount = number.length() - (number.charAt(0) == '-' ? 1 : 0);
        if (digitCount <= 18) {
            return Long.parseLong(number);
        }
        if (digitCount > MAX_INT_DIGITS) {
            throw error("Exceeds the limit (" + MAX_INT_DIGITS + " digits) for integer string conversion");
        }
        BigInteger big = new BigInteger(number);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean isDigit(int at) {
        return at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9';
    }

    private void digits() {
        while (isDigit(pos)) {
            pos++;
        }
    }

    private String string() {
        int start = pos + 1; // after the opening quote
        // fast path: no escapes (the text and the index in locals)
        String source = text;
        int end = source.length();
        int at = start;
        while (at < end) {
            char c = source.charAt(at);
            if (c == '"') {
                pos = at + 1;
                return source.substring(start, at);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            at++;
        }
        pos = at;
        StringBuilder out = new StringBuilder(text.length() - start).append(text, start, pos);
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("Invalid control character");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            char escape = text.charAt(pos++);
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> {
                    pos -= 2;
                    throw error("Invalid \\escape");
                }
            }
        }
        throw error("Unterminated string");
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("Invalid \\uXXXX escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0 || text.charAt(pos + i) > 'f') {
                throw error("Invalid \\uXXXX escape");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        // A high surrogate followed by a low one forms one character; Java strings hold the pair as it is.
        return (char) value;
    }

    private void enter() {
        if (++depth > TaggedJsonWriter.MAX_DEPTH) {
            throw error("Nested deeper than " + TaggedJsonWriter.MAX_DEPTH + " levels");
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("Expecting ',' delimiter");
            }
        }
    }

    private @Nullable Object object() {
        enter();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("Expecting property name enclosed in double quotes");
            }
            String key = string();
            skipWhitespace();
            if (peek() != ':') {
                throw error("Expecting ':' delimiter");
            }
            pos++;
            skipWhitespace();
            map.put(key, value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return untag(map);
            }
            if (c != ',') {
                pos--;
                throw error("Expecting ',' delimiter");
            }
        }
    }

    /** Flask's {@code untag}: a one-key map whose key is a tag becomes the tagged value. */
    private @Nullable Object untag(Map<String, Object> map) {
        if (map.size() != 1) {
            return map;
        }
        Map.Entry<String, Object> only = map.entrySet().iterator().next();
        String key = only.getKey();
        Object value = only.getValue();
        return switch (key) {
            case " di" -> unescapeDict(value);
            case " t" -> tuple(value);
            case " b" -> bytes(value);
            case " m" -> markup(value);
            case " u" -> uuid(value);
            case " d" -> datetime(value);
            default -> map;
        };
    }

    private IllegalArgumentException badTag(String tag, Object value) {
        return error("Cannot untag " + tag + " holding " + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /** {@code {" di": {"k__": v}}} is {@code {"k": v}}: the first key with its last two characters cut. */
    private Object unescapeDict(Object value) {
        if (!(value instanceof Map<?, ?> inner) || inner.isEmpty()) {
            throw badTag("' di'", value);
        }
        Map.Entry<?, ?> first = inner.entrySet().iterator().next();
        String key = (String) first.getKey();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key.substring(0, Math.max(0, key.length() - 2)), first.getValue());
        return map;
    }

    /** Python's {@code tuple(value)}: a list's items, a string's characters, a map's keys, bytes as ints. */
    private Tuple tuple(Object value) {
        if (value instanceof Collection<?> items) {
            return Tuple.copyOf(items);
        }
        if (value instanceof Map<?, ?> map) {
            return Tuple.copyOf(map.keySet());
        }
        if (value instanceof CharSequence chars) {
            return Tuple.of(chars.toString().codePoints().mapToObj(Character::toString).toArray());
        }
        if (value instanceof byte[] bytes) {
            Object[] ints = new Object[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ints[i] = (long) (bytes[i] & 0xff);
            }
            return Tuple.of(ints);
        }
        throw badTag("' t'", value);
    }

    private byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            byte[] decoded = LenientBase64.decode(bytes);
            if (decoded != null) {
                return decoded;
            }
        }
        byte[] decoded = value instanceof CharSequence chars ? LenientBase64.decode(chars) : null;
        if (decoded == null) {
            throw badTag("' b'", value);
        }
        return decoded;
    }

    /** {@code Markup(value)}: text as it is, other scalars as Python's {@code str()} writes them. */
    private Markup markup(Object value) {
        if (value instanceof CharSequence chars) {
            return Markup.of(chars.toString());
        }
        if (value == null) {
            return Markup.of("None");
        }
        if (value instanceof Boolean bool) {
            return Markup.of(bool ? "True" : "False");
        }
        if (value instanceof Double d) {
            String repr = FloatRepr.of(d);
            return Markup.of(switch (repr) {
                case "NaN" -> "nan";
                case "Infinity" -> "inf";
                case "-Infinity" -> "-inf";
                default -> repr;
            });
        }
        if (value instanceof Long || value instanceof BigInteger || value instanceof UUID) {
            return Markup.of(value.toString());
        }
        throw badTag("' m'", value);
    }

    /** {@code UUID(hex)}: 32 hex digits, dashes, braces and a {@code urn:uuid:} prefix allowed. */
    private UUID uuid(Object value) {
        if (value instanceof CharSequence chars) {
            String hex = chars.toString().replace("urn:", "").replace("uuid:", "");
            int from = 0;
            int to = hex.length();
            while (from < to && (hex.charAt(from) == '{' || hex.charAt(from) == '}')) {
                from++;
            }
            while (to > from && (hex.charAt(to - 1) == '{' || hex.charAt(to - 1) == '}')) {
                to--;
            }
            hex = hex.substring(from, to).replace("-", "");
            if (hex.length() == 32 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
                return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                        Long.parseUnsignedLong(hex.substring(16), 16));
            }
        }
        throw badTag("' u'", value);
    }

    /**
     * Werkzeug's {@code parse_date}: an unreadable date is null, not an error; so is any value Python treats
     * as false. Other non-text values make Python's parser fail, and Flask with it.
     */
    private @Nullable Object datetime(Object value) {
        if (value instanceof CharSequence chars) {
            return HttpDate.parse(chars.toString());
        }
        if (value == null || Boolean.FALSE.equals(value) || value instanceof byte[]
                || value instanceof Long l && l == 0 || value instanceof Double d && d == 0
                || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty()) {
            return null;
        }
        throw badTag("' d'", value);
    }
}
