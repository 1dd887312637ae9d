package dev.dualwrite.testsupport;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.engine.SourceOfRandomness;

/**
 * Generated {@code POST /api/orders} bodies, as text so that they can be anything: valid orders with any Unicode,
 * then mutated — a field removed, nulled, of the wrong JSON type, too long, out of range, duplicated, deeply nested,
 * cut off, followed by garbage. jqwik's generators, sampled outside its engine (from a seed) so that a Spring test
 * can use them.
 */
public final class OrderBodies {

    private OrderBodies() {}

    /** A body, most of them invalid in one way, some valid, for the no-5xx property. */
    public static Arbitrary<String> anyBody() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, valid()),
                Tuple.of(6, valid().flatMap(OrderBodies::mutated)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)),
                Tuple.of(1, structural()));
    }

    static Arbitrary<String> valid() {
        return Combinators.combine(
                        text(1, 100),
                        Arbitraries.strings().withCharRange('A', 'Z').ofLength(3),
                        item().list().ofMinSize(1).ofMaxSize(5))
                .as((customer, currency, items) -> "{\"customerId\": %s, \"currency\": %s, \"items\": [%s]}"
                        .formatted(quote(customer), quote(currency), String.join(", ", items)));
    }

    private static Arbitrary<String> item() {
        return Combinators.combine(
                        text(1, 100),
                        Arbitraries.integers().between(1, 1000),
                        Arbitraries.bigDecimals()
                                .between(BigDecimal.ZERO, new BigDecimal("100000"))
                                .ofScale(2))
                .as((sku, quantity, price) ->
                        "{\"sku\": %s, \"quantity\": %d, \"unitPrice\": %s}".formatted(quote(sku), quantity, price));
    }

    /** Any text, including control characters, surrogates (paired or not) and characters outside the BMP. */
    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(min).ofMaxLength(max),
                Arbitraries.strings().all().ofMinLength(min).ofMaxLength(max),
                Arbitraries.of("😀".repeat(60), "\u0000", "a\u0000b", "\ud800", "x\udfff", "‮rtl", " ", ""));
    }

    /** Replaces one value (field or item field) of a valid body with a hostile one. */
    private static Arbitrary<String> mutated(String body) {
        List<String> fields = List.of(
                "\"customerId\": ", "\"currency\": ", "\"items\": ", "\"sku\": ", "\"quantity\": ", "\"unitPrice\": ");
        return Combinators.combine(
                        Arbitraries.of(fields),
                        hostileValue(),
                        Arbitraries.integers().between(0, 3))
                .as((field, value, how) -> switch (how) {
                    case 0 -> replaceValue(body, field, value);
                    case 1 -> body.replaceFirst(Pattern.quote(field), field + value + ", " + field);
                    case 2 -> removeField(body, field);
                    default -> body.substring(0, Math.max(1, body.length() / 2));
                });
    }

    private static Arbitrary<String> hostileValue() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "null",
                        "true",
                        "\"\"",
                        "\"3\"",
                        "[]",
                        "{}",
                        "[null]",
                        "1.5",
                        "-1",
                        "0",
                        "1e400",
                        "-1e400",
                        "1e-400",
                        "1E+1000000000",
                        "123456789012345678901234567890",
                        "2147483648",
                        "999999999999.99",
                        "1000000000000",
                        "0.001",
                        "\"EUR\"",
                        "\"euro\"",
                        "NaN",
                        "[{}]",
                        "[" + "{\"sku\": \"a\", \"quantity\": 1, \"unitPrice\": 1},".repeat(100)
                                + "{\"sku\": \"a\", \"quantity\": 1, \"unitPrice\": 1}]",
                        "[{\"sku\": \"a\", \"quantity\": 1000000, \"unitPrice\": 999999999999.99}]",
                        "[{\"sku\": \"a\", \"quantity\": 2, \"unitPrice\": 600000000000}]",
                        "\"" + "x".repeat(101) + "\"",
                        "\"" + "😀".repeat(101) + "\"",
                        "\"\\u0000\"",
                        "\"\\ud800\"",
                        "[".repeat(2000) + "]".repeat(2000)),
                text(0, 120).map(OrderBodies::quote),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf));
    }

    private static Arbitrary<String> structural() {
        return Arbitraries.of(
                "",
                "null",
                "[]",
                "{}",
                "\"order\"",
                "42",
                "{\"customerId\": \"a\"} trailing",
                "{\"customerId\": \"a\", \"customerId\": \"b\", \"currency\": \"EUR\", \"items\": []}",
                "{".repeat(5000),
                "{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
    }

    private static String replaceValue(String body, String field, String value) {
        int start = body.indexOf(field);
        if (start < 0) {
            return body;
        }
        int from = start + field.length();
        int end = valueEnd(body, from);
        return body.substring(0, from) + value + body.substring(end);
    }

    private static String removeField(String body, String field) {
        int start = body.indexOf(field);
        if (start < 0) {
            return body;
        }
        int end = valueEnd(body, start + field.length());
        String rest = body.substring(end);
        return body.substring(0, start) + (rest.startsWith(", ") ? rest.substring(2) : rest);
    }

    /** Where the JSON value starting at {@code from} ends (strings, arrays and objects balanced). */
    private static int valueEnd(String body, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return body.length();
    }

    /** A JSON string literal of any Java string, lone surrogates written as escapes. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append("\\u%04x".formatted((int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** {@code count} bodies from {@code seed}: the same seed, the same bodies (a failure is reproducible). */
    public static List<String> sample(int count, long seed) {
        // jqwik's sampling outside a property draws from this thread's source of randomness: seeded here
        SourceOfRandomness.create(Long.toString(seed));
        return anyBody().sampleStream().limit(count).collect(Collectors.toCollection(ArrayList::new));
    }
}
