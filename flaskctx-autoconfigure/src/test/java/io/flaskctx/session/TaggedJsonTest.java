package io.flaskctx.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flaskctx.Markup;
import io.flaskctx.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flask's tagged JSON beyond the vectors: what Python's {@code json.loads} and Flask's untagging accept and
 * refuse, and how values without a JSON form are written. Every expectation was checked against Flask 3.1.3
 * ({@code session_json_serializer.loads/dumps} inside an app context).
 */
class TaggedJsonTest {

    private static Object load(String json) {
        return TaggedJsonReader.loads(json);
    }

    @Test
    void readsTheNumbersPythonReads() {
        assertThat(load("{\"a\":NaN}")).isEqualTo(Map.of("a", Double.NaN));
        assertThat(load("{\"a\":-Infinity}")).isEqualTo(Map.of("a", Double.NEGATIVE_INFINITY));
        assertThat(load("{\"a\":1e400}")).isEqualTo(Map.of("a", Double.POSITIVE_INFINITY));
        assertThat(load("{\"a\":-0}")).isEqualTo(Map.of("a", 0L));
        assertThat(load("{\"a\":1E+2}")).isEqualTo(Map.of("a", 100.0));
        assertThat(load("{\"a\":12345678901234567890}")).isEqualTo(Map.of("a", new BigInteger("12345678901234567890")));
        assertThat(load("{\"a\":-9223372036854775808}")).isEqualTo(Map.of("a", Long.MIN_VALUE));
        assertThat(load("{\"a\":" + "1".repeat(4300) + "}")).isEqualTo(Map.of("a", new BigInteger("1".repeat(4300))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "[1,]", "{\"a\":1,}", "{'a':1}", "{\"a\":\"\u0001\"}",
            "{\"a\":1} x", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":tru}", "{\"a\":-}", "\ufeff{}", "", "{\"a\":\"x",
            "{\" di\":{}}", "{\" di\":\"s\"}", "{\" t\":5}", "{\" t\":null}", "{\" b\":\"AAE\"}", "{\" b\":\"A-_A\"}",
            "{\" b\":\"\u00e9\"}", "{\" b\":5}", "{\" b\":{\" b\":\"QUFF\"}}", "{\" u\":\"bad\"}", "{\" u\":5}",
            "{\" d\":5}", "{\" d\":[1]}", "{\" d\":true}"})
    void refusesWhatFlaskFailsOn(String json) {
        assertThatThrownBy(() -> load(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesIntegersBeyondPythonsDigitLimitAndNestingBeyondItsStack() {
        assertThatThrownBy(() -> load("{\"a\":" + "1".repeat(4301) + "}")).hasMessageContaining("4300 digits");
        assertThatThrownBy(() -> load("[".repeat(600) + "]".repeat(600))).hasMessageContaining("Nested deeper");
        assertThat(load("[".repeat(400) + "]".repeat(400))).isInstanceOf(List.class);
    }

    @Test
    void readsStringsAsPythonDoes() {
        assertThat(load("{\"a\":\"\\ud83d\"}")).isEqualTo(Map.of("a", "\ud83d"));
        assertThat(load("{\"a\":\"\\ud83d\\ude00\"}")).isEqualTo(Map.of("a", "\ud83d\ude00"));
        assertThat(load("{\"a\":\"\\u00E9\\/\\b\\f\\n\\r\\t\\\"\\\\\"}")).isEqualTo(Map.of("a", "\u00e9/\b\f\n\r\t\"\\"));
        assertThat(load(" \t\n{\"a\":1}\r\n")).isEqualTo(Map.of("a", 1L));
    }

    @Test
    void keepsTheFirstPositionAndTheLastValueOfARepeatedKey() {
        Object map = load("{\"b\":1,\"a\":2,\"b\":3}");
        assertThat(map).isEqualTo(Map.of("b", 3L, "a", 2L));
        assertThat(((Map<?, ?>) map).keySet().toArray()).containsExactly("b", "a");
    }

    @Test
    void untagsAsFlaskDoesEvenOddTaggedValues() {
        assertThat(load("{\" di\":{\"abc\":1}}")).isEqualTo(Map.of("a", 1L));
        assertThat(load("{\" di\":{\"x\":1}}")).isEqualTo(Map.of("", 1L));
        assertThat(load("{\" di\":{\"a\":1,\"b\":2}}")).isEqualTo(Map.of("", 1L));
        assertThat(load("{\" t\":\"ab\ud83d\ude00\"}")).isEqualTo(Tuple.of("a", "b", "\ud83d\ude00"));
        assertThat(load("{\" t\":{\"k\":1,\"j\":2}}")).isEqualTo(Tuple.of("k", "j"));
        assertThat((byte[]) load("{\" b\":\"AAE=\"}")).containsExactly(0, 1);
        assertThat(load("{\" m\":5}")).isEqualTo(Markup.of("5"));
        assertThat(load("{\" m\":null}")).isEqualTo(Markup.of("None"));
        assertThat(load("{\" m\":true}")).isEqualTo(Markup.of("True"));
        assertThat(load("{\" m\":1.5}")).isEqualTo(Markup.of("1.5"));
        UUID uuid = UUID.fromString("12345678-1234-5678-1234-567812345678");
        assertThat(load("{\" u\":\"12345678-1234-5678-1234-567812345678\"}")).isEqualTo(uuid);
        assertThat(load("{\" u\":\"{12345678123456781234567812345678}\"}")).isEqualTo(uuid);
        assertThat(load("{\" u\":\"urn:uuid:12345678123456781234567812345678\"}")).isEqualTo(uuid);
        Tuple nested = (Tuple) ((Map<?, ?>) load("{\"x\":{\" t\":[1,{\" b\":\"AA==\"}]}}")).get("x");
        assertThat(nested.get(0)).isEqualTo(1L);
        assertThat((byte[]) nested.get(1)).containsExactly(0);
    }

    @Test
    void readsAnUnreadableDateAsNullAsWerkzeugDoes() {
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("a", null);
        for (String date : List.of("\"garbage\"", "0", "null", "[]", "false")) {
            assertThat(load("{\"a\":{\" d\":" + date + "}}")).as(date).isEqualTo(nulls);
        }
        assertThat(load("{\" d\":\"Tue, 02 Jan 2024 03:04:05 +0200\"}")).isEqualTo(Instant.parse("2024-01-02T01:04:05Z"));
    }

    @Test
    void leavesUnknownTagsAndTagsWithSiblingsAlone() {
        assertThat(load("{\" zz\":1}")).isEqualTo(Map.of(" zz", 1L));
        assertThat(load("{\" t\":[1],\"x\":2}")).isEqualTo(Map.of(" t", List.of(1L), "x", 2L));
    }

    @Test
    void sortsNumericKeysAsNumbersAndWritesThemAsPythonDoes() {
        Map<Object, Object> numbers = new LinkedHashMap<>();
        numbers.put(10, "a");
        numbers.put(9, "b");
        numbers.put(2.5, "c");
        assertThat(TaggedJsonWriter.dumps(numbers)).isEqualTo("{\"2.5\":\"c\",\"9\":\"b\",\"10\":\"a\"}");
        Map<Object, Object> flags = new LinkedHashMap<>();
        flags.put(true, 1);
        flags.put(false, 0);
        assertThat(TaggedJsonWriter.dumps(flags)).isEqualTo("{\"false\":0,\"true\":1}");
        Map<Object, Object> none = new HashMap<>();
        none.put(null, 1);
        assertThat(TaggedJsonWriter.dumps(none)).isEqualTo("{\"null\":1}");
        Map<Object, Object> floats = new LinkedHashMap<>();
        floats.put(Double.POSITIVE_INFINITY, 2);
        floats.put(1.5, 1);
        assertThat(TaggedJsonWriter.dumps(floats)).isEqualTo("{\"1.5\":1,\"Infinity\":2}");
    }

    @Test
    void refusesKeysPythonCannotSort() {
        Map<Object, Object> mixed = new LinkedHashMap<>();
        mixed.put(1, "a");
        mixed.put("b", 2);
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(mixed)).hasMessageContaining("must all be strings or all be numbers");
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(Map.of(UUID.randomUUID(), 1))).hasMessageContaining("map key");
    }

    @Test
    void escapesEverythingOutsidePrintableAscii() {
        assertThat(TaggedJsonWriter.dumps(Map.of("x", "\u007f\u0080\u2028</script>&"))).isEqualTo(
                "{\"x\":\"\\u007f\\u0080\\u2028</script>&\"}");
    }

    /** Python's dataclass: written through Flask's JSON provider after tagging, so its fields are untagged. */
    record Profile(Tuple t, UUID u, Instant d, Markup m, Map<String, Object> n) {
    }

    @Test
    void writesARecordAsFlaskWritesADataclass() {
        Profile profile = new Profile(Tuple.of(1, 2), new UUID(0, 1), Instant.parse("2024-01-02T00:00:00Z"),
                Markup.of("<b>"), Map.of(" t", 1));
        assertThat(TaggedJsonWriter.dumps(Map.of("r", profile))).isEqualTo("{\"r\":{\"d\":\"Tue, 02 Jan 2024 00:00:00"
                + " GMT\",\"m\":\"<b>\",\"n\":{\" t\":1},\"t\":[1,2],\"u\":\"00000000-0000-0000-0000-000000000001\"}}");
    }

    @ParameterizedTest
    @CsvSource({"1E+3, 1E+3", "0.00000001, 1E-8", "1.10, 1.10"})
    void writesDatesAndDecimalsAsUntaggedStrings(String decimal, String written) {
        assertThat(TaggedJsonWriter.dumps(Map.of("d", new BigDecimal(decimal)))).isEqualTo("{\"d\":\"" + written + "\"}");
        assertThat(TaggedJsonWriter.dumps(Map.of("d", LocalDate.of(2024, 1, 2))))
                .isEqualTo("{\"d\":\"Tue, 02 Jan 2024 00:00:00 GMT\"}");
    }

    @Test
    void escapesAOneKeyMapWhoseKeyIsATagWhateverItsTextType() {
        assertThat(TaggedJsonWriter.dumps(Map.of("k", Map.of(Markup.of(" t"), 1)))).isEqualTo("{\"k\":{\" di\":{\" t__\":1}}}");
    }

    @Test
    void refusesWhatFlasksSessionCannotHoldNamingTheType() {
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(Map.of("s", Set.of(1, 2))))
                .hasMessageContaining("java.util.").hasMessageContaining("store a List");
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(Map.of("e", Thread.State.NEW)))
                .hasMessageContaining("Thread$State").hasMessageContaining("name()");
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(Map.of("r", new Holder(new byte[1]))))
                .hasMessageContaining("byte[] inside a record");
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(Map.of("t", Instant.parse("+10000-01-01T00:00:00Z"))))
                .hasMessageContaining("years 1 to 9999");
    }

    record Holder(byte[] bytes) {
    }

    @Test
    void refusesAMapThatContainsItself() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);
        List<Object> list = new ArrayList<>();
        list.add(list);
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(loop)).hasMessageContaining("contains itself");
        assertThatThrownBy(() -> TaggedJsonWriter.dumps(list)).hasMessageContaining("contains itself");
    }
}
