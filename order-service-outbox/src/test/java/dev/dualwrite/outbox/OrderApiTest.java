package dev.dualwrite.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.dualwrite.testsupport.NativeStackTest;
import dev.dualwrite.testsupport.RestProbe;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@NativeStackTest
class OrderApiTest {

    private static final String VALID = """
            {"customerId": "c-42", "currency": "EUR",
             "items": [{"sku": "book", "quantity": 2, "unitPrice": 12.50}, {"sku": "pen", "quantity": 1, "unitPrice": 3}]}
            """;

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void createsAnOrderAndItsOutboxEventInOneTransaction() throws Exception {
        HttpResponse<String> response = post("/api/orders", VALID, Map.of());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = json.readTree(response.body());
        String id = order.get("id").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/" + id);
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("pattern").asString()).isEqualTo("TRANSACTIONAL_OUTBOX");
        assertThat(order.get("version").asInt()).isEqualTo(1);
        assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("28.00");
        assertThat(order.get("items")).hasSize(2);

        JsonNode event = json.readTree(single(eventPayloads(id)));
        assertThat(event.get("eventType").asString()).isEqualTo("OrderCreated");
        assertThat(event.get("orderId").asString()).isEqualTo(id);
        assertThat(event.get("pattern").asString()).isEqualTo("TRANSACTIONAL_OUTBOX");
        assertThat(event.get("version").asInt()).isEqualTo(1);
        assertThat(event.get("order").get("items").get(0).get("sku").asString()).isEqualTo("book");
        assertThat(event.get("occurredAt").asString()).isEqualTo(order.get("createdAt").asString());
    }

    @Test
    void confirmAndCancelEachWriteOneEventWithTheNextVersion() throws Exception {
        String id = createOrder();

        HttpResponse<String> confirmed = post("/api/orders/" + id + "/confirm", "", Map.of());
        HttpResponse<String> cancelled = post("/api/orders/" + id + "/cancel", "", Map.of());

        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(json.readTree(confirmed.body()).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(json.readTree(cancelled.body()).get("version").asInt()).isEqualTo(3);
        assertThat(eventPayloads(id)).extracting(payload -> json.readTree(payload).get("eventType").asString())
                .containsExactly("OrderCreated", "OrderConfirmed", "OrderCancelled");
        assertThat(eventPayloads(id)).extracting(payload -> json.readTree(payload).get("version").asInt())
                .containsExactly(1, 2, 3);
        assertThat(json.readTree(get("/api/orders/" + id).body()).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameOrderAndNoSecondEventEvenWhenSentConcurrently() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<HttpResponse<String>> responses;
        try {
            List<Callable<HttpResponse<String>>> sameRequest = IntStream.range(0, 8)
                    .<Callable<HttpResponse<String>>>mapToObj(i -> () -> post("/api/orders", VALID, Map.of("Idempotency-Key", key)))
                    .toList();
            responses = clients.invokeAll(sameRequest).stream().map(future -> {
                try {
                    return future.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        } finally {
            clients.shutdown();
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
        var ids = responses.stream().map(response -> json.readTree(response.body()).get("id").asString()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(eventPayloads(ids.iterator().next())).hasSize(1);
        assertThat(responses).filteredOn(response -> response.headers().firstValue("Idempotent-Replayed").orElse("").equals("false"))
                .hasSize(1);
    }

    @Test
    void aFailedTransactionLeavesNeitherOrderNorEvent() throws Exception {
        String customer = "atomicity-" + UUID.randomUUID();
        // A real failure of the event insert, after the order row is already written in the same transaction.
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION refuse_probe_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload -> 'order' ->> 'customerId' LIKE 'atomicity-%' THEN
                        RAISE EXCEPTION 'event insert refused by the atomicity test';
                    END IF;
                    RETURN NEW;
                END $$""").update();
        jdbc.sql("CREATE OR REPLACE TRIGGER refuse_probe_event BEFORE INSERT ON outbox_events "
                + "FOR EACH ROW EXECUTE FUNCTION refuse_probe_event()").update();
        try {
            HttpResponse<String> response = post("/api/orders", VALID.replace("c-42", customer), Map.of());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("at dev.dualwrite");
            assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = :c").param("c", customer)
                    .query(Long.class).single()).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM outbox_events WHERE payload -> 'order' ->> 'customerId' = :c")
                    .param("c", customer).query(Long.class).single()).isZero();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_probe_event ON outbox_events").update();
        }
    }

    static Stream<Arguments> invalidOrders() {
        return Stream.of(
                Arguments.of("missing customer", VALID.replace("\"customerId\": \"c-42\",", ""), "customerId"),
                Arguments.of("blank customer", VALID.replace("c-42", "  "), "customerId"),
                Arguments.of("quantity zero", VALID.replace("\"quantity\": 2", "\"quantity\": 0"), "items[0].quantity"),
                Arguments.of("quantity missing", VALID.replace("\"quantity\": 2,", ""), "items[0].quantity"),
                Arguments.of("negative price", VALID.replace("12.50", "-1"), "items[0].unitPrice"),
                Arguments.of("lower-case currency", VALID.replace("EUR", "eur"), "currency"),
                Arguments.of("four-letter currency", VALID.replace("EUR", "EURO"), "currency"),
                Arguments.of("missing currency", VALID.replace("\"currency\": \"EUR\",", ""), "currency"),
                Arguments.of("no items", "{\"customerId\": \"c\", \"currency\": \"EUR\", \"items\": []}", "items"),
                Arguments.of("blank sku", VALID.replace("\"book\"", "\"\""), "items[0].sku"),
                Arguments.of("101 items", "{\"customerId\": \"c\", \"currency\": \"EUR\", \"items\": ["
                        + String.join(",", java.util.Collections.nCopies(101, "{\"sku\": \"s\", \"quantity\": 1, \"unitPrice\": 1}"))
                        + "]}", "items"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void refusesAnInvalidOrderNamingTheFieldAndWritesNothing(String name, String body, String field) throws Exception {
        long before = writtenRows();

        HttpResponse<String> response = post("/api/orders", body, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response);
        assertThat(json.readTree(response.body()).get("errors").findValuesAsString("field")).contains(field);
        assertThat(writtenRows()).isEqualTo(before);
    }

    @Test
    void refusesMalformedJsonAsBadRequest() throws Exception {
        long before = writtenRows();
        HttpResponse<String> response = post("/api/orders", "{\"customerId\": ", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response);
        assertThat(writtenRows()).isEqualTo(before);
    }

    @Test
    void refusesABodyOver64KilobytesWithContentTooLarge() throws Exception {
        long before = writtenRows();
        String padded = VALID.replace("\"c-42\"", "\"c-42\", \"padding\": \"" + "x".repeat(70_000) + "\"");

        HttpResponse<String> response = post("/api/orders", padded, Map.of());

        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response);
        assertThat(writtenRows()).isEqualTo(before);
    }

    @Test
    void refusesAWrongContentTypeWithUnsupportedMediaType() throws Exception {
        HttpResponse<String> response = post("/api/orders", VALID, Map.of("Content-Type", "text/plain"));
        assertThat(response.statusCode()).isEqualTo(415);
        assertProblem(response);
    }

    @Test
    void refusesABlankIdempotencyKey() throws Exception {
        HttpResponse<String> response = post("/api/orders", VALID, Map.of("Idempotency-Key", " "));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("errors").findValuesAsString("field")).contains("Idempotency-Key");
    }

    @Test
    void answersNotFoundForAnUnknownIdAndBadRequestForAMalformedOne() throws Exception {
        HttpResponse<String> unknown = get("/api/orders/" + UUID.randomUUID());
        HttpResponse<String> malformed = get("/api/orders/not-a-uuid");
        HttpResponse<String> confirmUnknown = post("/api/orders/" + UUID.randomUUID() + "/confirm", "", Map.of());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertProblem(unknown);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertProblem(malformed);
        assertThat(confirmUnknown.statusCode()).isEqualTo(404);
    }

    @Test
    void refusesATransitionTheLifecycleForbidsWithConflictAndWritesNoEvent() throws Exception {
        String id = createOrder();
        post("/api/orders/" + id + "/cancel", "", Map.of());

        HttpResponse<String> confirmCancelled = post("/api/orders/" + id + "/confirm", "", Map.of());
        HttpResponse<String> cancelTwice = post("/api/orders/" + id + "/cancel", "", Map.of());

        assertThat(confirmCancelled.statusCode()).isEqualTo(409);
        assertProblem(confirmCancelled);
        assertThat(cancelTwice.statusCode()).isEqualTo(409);
        assertThat(eventPayloads(id)).hasSize(2);
    }

    @Test
    void listsNewestFirstAndRefusesAnOutOfRangeLimit() throws Exception {
        String older = createOrder();
        String newer = createOrder();

        JsonNode list = json.readTree(get("/api/orders?limit=2").body());
        HttpResponse<String> tooMany = get("/api/orders?limit=0");

        assertThat(list.findValuesAsString("id")).containsExactly(newer, older);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertProblem(tooMany);
    }

    private void assertProblem(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.has("title")).isTrue();
        assertThat(response.body()).doesNotContain("Exception");
    }

    private String createOrder() throws Exception {
        HttpResponse<String> response = post("/api/orders", VALID, Map.of());
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asString();
    }

    private long writtenRows() {
        return jdbc.sql("SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM outbox_events)")
                .query(Long.class).single();
    }

    private List<String> eventPayloads(String orderId) {
        return jdbc.sql("SELECT payload::text FROM outbox_events WHERE aggregateid = :id ORDER BY position")
                .param("id", orderId).query(String.class).list();
    }

    private static String single(List<String> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        return RestProbe.at(port).post(path, body, headers);
    }

    private HttpResponse<String> get(String path) {
        return RestProbe.at(port).get(path);
    }
}
