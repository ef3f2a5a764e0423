package io.flaskctx.session;

import io.flaskctx.Markup;
import io.flaskctx.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reference vectors ({@code session_vectors.json}, written by Flask 3.1.3 through t6_sessions.py, copied
 * unchanged from ../shared/flask-reference) and the Python-typed rendering they describe values with, so that
 * a Java value can be compared with what Flask decoded.
 */
final class Vectors {

    static final String SECRET_KEY = "reference-secret-key";
    static final long FROZEN = 1_700_000_000L;
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static Map<String, Object> all;

    private Vectors() {
    }

    static synchronized Map<String, Object> all() {
        if (all == null) {
            all = read("session_vectors.json");
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            return JSON.readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the list under {@code key} in the JSON resource {@code resource}, e.g. a script's "cases"} */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(String resource, String key) {
        return (List<Map<String, Object>>) read(resource).get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(String key) {
        return (List<Map<String, Object>>) all().get(key);
    }

    static Stream<Arguments> payloadVectors() {
        return list("payload_vectors").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    static Stream<Arguments> invalidCookies() {
        return list("invalid_cookies").stream().map(v -> Arguments.of(v.get("name"), v));
    }

    static Clock clockAt(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    static UrlSafeTimedSerializer serializer(String secretKey, long epochSecond) {
        return new UrlSafeTimedSerializer(List.of(secretKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                clockAt(epochSecond));
    }

    /** A record standing for the vectors' dataclass {@code _DC(a=1, b='x')}. */
    record DC(int a, String b) {
    }

    /** The Java value a payload vector's input stands for. */
    @SuppressWarnings("unchecked")
    static Object input(Map<String, Object> vector) {
        String name = (String) vector.get("name");
        switch (name) {
            case "object_with___html__":
                return Map.of("h", Markup.of("<i>x</i>"));
            case "dataclass_untagged":
                return Map.of("dc", new DC(1, "x"));
            case "key_int_nonstring":
                // the typed rendering shows repr(1); the input was the int 1
                return Map.of(1, "one");
            case "flashes":
                return Map.of("_flashes", List.of(Tuple.of("message", "Saved!"), Tuple.of("error", "Bad input \u2639")));
            case "permanent":
                Map<String, Object> permanent = new LinkedHashMap<>();
                permanent.put("user", "alice");
                permanent.put("_permanent", true);
                return permanent;
            default:
                return fromTyped((Map<String, Object>) vector.get("input_typed"));
        }
    }

    @SuppressWarnings("unchecked")
    static Object fromTyped(Map<String, Object> typed) {
        Map.Entry<String, Object> only = typed.entrySet().iterator().next();
        Object v = only.getValue();
        return switch (only.getKey()) {
            case "None" -> null;
            case "bool" -> v;
            case "str" -> v;
            case "int" -> v instanceof String big ? new BigInteger(big) : ((Number) v).longValue();
            case "float" -> pythonFloat((String) v);
            case "Markup" -> Markup.of((String) v);
            case "bytes_hex" -> HexFormat.of().parseHex((String) v);
            case "uuid" -> UUID.fromString((String) v);
            case "datetime" -> {
                String iso = (String) v;
                yield iso.length() > 19 && (iso.contains("+") || iso.endsWith("Z")) ? OffsetDateTime.parse(iso)
                        : LocalDateTime.parse(iso);
            }
            case "date" -> LocalDate.parse((String) v);
            case "Decimal" -> new BigDecimal((String) v);
            case "tuple" -> Tuple.copyOf(((List<Map<String, Object>>) v).stream().map(Vectors::fromTyped).toList());
            case "list" -> new ArrayList<>(((List<Map<String, Object>>) v).stream().map(Vectors::fromTyped).toList());
            case "dict" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (List<Object> pair : (List<List<Object>>) v) {
                    map.put((String) pair.get(0), fromTyped((Map<String, Object>) pair.get(1)));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("No Java value for " + typed);
        };
    }

    static double pythonFloat(String repr) {
        return switch (repr) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(repr);
        };
    }

    /** The rendering of t6_sessions.py's {@code typed()} for a Java value read back from a cookie. */
    static Object typed(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value == null) {
            out.put("None", null);
        } else if (value instanceof Boolean) {
            out.put("bool", value);
        } else if (value instanceof Long || value instanceof BigInteger) {
            BigInteger n = value instanceof BigInteger big ? big : BigInteger.valueOf((Long) value);
            out.put("int", n.abs().compareTo(BigInteger.TWO.pow(53)) > 0 ? n.toString() : (Object) n.longValue());
        } else if (value instanceof Double d) {
            String repr = FloatRepr.of(d);
            out.put("float", switch (repr) {
                case "NaN" -> "nan";
                case "Infinity" -> "inf";
                case "-Infinity" -> "-inf";
                default -> repr;
            });
        } else if (value instanceof Markup markup) {
            out.put("Markup", markup.toString());
        } else if (value instanceof String text) {
            out.put("str", text);
        } else if (value instanceof byte[] bytes) {
            out.put("bytes_hex", HexFormat.of().formatHex(bytes));
        } else if (value instanceof Tuple tuple) {
            out.put("tuple", tuple.stream().map(Vectors::typed).toList());
        } else if (value instanceof List<?> list) {
            out.put("list", list.stream().map(Vectors::typed).toList());
        } else if (value instanceof Map<?, ?> map) {
            List<Object> pairs = new ArrayList<>();
            map.forEach((k, v) -> pairs.add(List.of(k, typed(v))));
            out.put("dict", pairs);
        } else if (value instanceof Instant instant) {
            out.put("datetime", ISO.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) + "+00:00");
        } else if (value instanceof UUID uuid) {
            out.put("uuid", uuid.toString());
        } else {
            throw new IllegalArgumentException("No typed rendering for " + value.getClass());
        }
        return out;
    }

    /** Both sides as JSON text, so that 42 as an Integer and as a Long compare equal. */
    static String text(Object value) {
        return JSON.writeValueAsString(value);
    }
}
