package dev.dualwrite.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order API of docs/DESIGN.md, as every order service must keep it, run by each service against the real stack
 * (one subclass per order-service-* module): an order and its first event commit together, every change writes one
 * event with the next version, an idempotency key yields one order and one event even when sent concurrently, a failed
 * event write leaves no order. The events are read where the pattern puts them: the event table of a polled pattern,
 * the topic otherwise (log tailing's rows are deleted in their transaction; the naive service sends to Kafka). The
 * REST layer's refusals of bad input are {@code OrderApiWebTest}'s, without a stack.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "admin.token=" + OrderApiAcceptanceTest.ADMIN_TOKEN)
@NativeStackTest
public abstract class OrderApiAcceptanceTest {

    protected static final String ADMIN_TOKEN = "acceptance-admin-token";

    protected static final String VALID = """
            {"customerId": "%s", "currency": "EUR",
             "items": [{"sku": "book", "quantity": 2, "unitPrice": 12.50}, {"sku": "pen", "quantity": 1, "unitPrice": 3}]}
            """;

    /** Generated bodies per service in the no-5xx property. */
    private static final int GENERATED_BODIES = 2000;

    protected final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    /** The pattern the service's orders and events carry. */
    protected abstract Pattern pattern();

    /** Whether clients may confirm (listen to yourself confirms its orders itself). */
    protected boolean clientsConfirm() {
        return true;
    }

    @Test
    void startsOnTheSharedSchemaAndReportsHealthUp() {
        HttpResponse<String> health = RestProbe.at(port).get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void healthShowsItsDetailsToTheAdminTokenOnly() {
        JsonNode anyone =
                json.readTree(RestProbe.at(port).get("/actuator/health").body());
        JsonNode wrongToken = json.readTree(RestProbe.at(port)
                .get("/actuator/health", Map.of("Authorization", "Bearer not-the-token"))
                .body());
        JsonNode admin = json.readTree(RestProbe.at(port)
                .get("/actuator/health", Map.of("Authorization", "Bearer " + ADMIN_TOKEN))
                .body());

        assertThat(anyone.has("components")).as("anyone sees the status only").isFalse();
        assertThat(wrongToken.has("components")).isFalse();
        assertThat(admin.get("components").has("db")).isTrue();
    }

    @Test
    void listensOnTheLoopbackInterfaceOnly() throws Exception {
        List<InetAddress> others = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 1000))
                        .as("connecting on %s", address)
                        .isInstanceOf(IOException.class);
            }
        }
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }

    @Test
    void createsAnOrderAndItsFirstEventTogether() {
        HttpResponse<String> response = post("/api/orders", order(), Map.of());

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = json.readTree(response.body());
        String id = order.get("id").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/" + id);
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("pattern").asString()).isEqualTo(pattern().name());
        assertThat(order.get("version").asInt()).isEqualTo(1);
        assertThat(order.get("totalAmount").decimalValue()).isEqualByComparingTo("28.00");
        assertThat(order.get("items")).hasSize(2);

        JsonNode event = awaitEvents(id, 1).get(0);
        assertThat(event.get("eventType").asString()).isEqualTo("OrderCreated");
        assertThat(event.get("orderId").asString()).isEqualTo(id);
        assertThat(event.get("pattern").asString()).isEqualTo(pattern().name());
        assertThat(event.get("version").asInt()).isEqualTo(1);
        assertThat(event.get("order").get("items").get(0).get("sku").asString()).isEqualTo("book");
        assertThat(event.get("occurredAt").asString())
                .isEqualTo(order.get("createdAt").asString());
        assertThat(RestProbe.at(port).get("/api/orders/" + id).body()).isEqualTo(response.body());
    }

    @Test
    void theRecordOnTheTopicHasTheContractsKeyAndHeaders() {
        if (pattern().polled()) {
            return; // the relays put its rows on the topic, and outbox-relay's tests check their records
        }
        String id = createOrder();

        ConsumerRecord<String, byte[]> record =
                TopicProbe.awaitRawRecords(pattern().topic(), id, 1).get(0);

        JsonNode event = json.readTree(record.value());
        assertThat(event.get("orderId").asString()).isEqualTo(id);
        assertThat(TopicProbe.header(record, OrderEvent.ID_HEADER))
                .isEqualTo(event.get("eventId").asString());
        assertThat(TopicProbe.header(record, OrderEvent.EVENT_TYPE_HEADER)).isEqualTo("OrderCreated");
    }

    @Test
    void everyChangeWritesOneEventWithTheNextVersion() {
        String id = createOrder();
        List<String> expected;
        if (clientsConfirm()) {
            HttpResponse<String> confirmed = post("/api/orders/" + id + "/confirm", "", Map.of());
            assertThat(confirmed.statusCode()).isEqualTo(200);
            assertThat(json.readTree(confirmed.body()).get("status").asString()).isEqualTo("CONFIRMED");
            expected = List.of("OrderCreated", "OrderConfirmed", "OrderCancelled");
        } else {
            assertThat(post("/api/orders/" + id + "/confirm", "", Map.of()).statusCode())
                    .isEqualTo(409);
            expected = List.of("OrderCreated", "OrderCancelled");
        }
        HttpResponse<String> cancelled = post("/api/orders/" + id + "/cancel", "", Map.of());

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json.readTree(cancelled.body()).get("version").asInt()).isEqualTo(expected.size());
        List<JsonNode> events = awaitEvents(id, expected.size());
        assertThat(events)
                .extracting(event -> event.get("eventType").asString())
                .containsExactlyElementsOf(expected);
        assertThat(events)
                .extracting(event -> event.get("version").asInt())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, expected.size()).boxed().toList());
    }

    @Test
    void aTransitionTheLifecycleForbidsIsAConflictAndWritesNoEvent() {
        String id = createOrder();
        assertThat(post("/api/orders/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(200);

        assertThat(post("/api/orders/" + id + "/confirm", "", Map.of()).statusCode())
                .isEqualTo(409);
        assertThat(post("/api/orders/" + id + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(409);

        assertThat(eventsOnceALaterOrdersArrived(id)).hasSize(2);
    }

    @Test
    void concurrentCancelsOfOneOrderCancelItOnceAndWriteOneEvent() throws Exception {
        String id = createOrder();
        List<HttpResponse<String>> responses = allAtOnce(8, () -> post("/api/orders/" + id + "/cancel", "", Map.of()));

        // The change's row lock serializes them: the first moves the order, the others find it CANCELLED.
        assertThat(responses)
                .extracting(HttpResponse::statusCode)
                .containsOnly(200, 409)
                .containsOnlyOnce(200);
        // (listen-to-yourself may have confirmed it between: Created, Confirmed, Cancelled)
        List<JsonNode> events = eventsOnceALaterOrdersArrived(id);
        assertThat(events)
                .extracting(event -> event.get("eventType").asString())
                .endsWith("OrderCancelled")
                .containsOnlyOnce("OrderCancelled");
        assertThat(events)
                .extracting(event -> event.get("version").asInt())
                .containsExactlyElementsOf(
                        IntStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(events)
                .extracting(event -> Instant.parse(event.get("occurredAt").asString()))
                .isSorted();
    }

    @Test
    void theSameIdempotencyKeyGivesOneOrderAndOneEventEvenWhenSentConcurrently() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        String body = order();
        List<HttpResponse<String>> responses =
                allAtOnce(8, () -> post("/api/orders", body, Map.of("Idempotency-Key", key)));

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201);
        Set<String> ids = responses.stream()
                .map(response -> json.readTree(response.body()).get("id").asString())
                .collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(responses)
                .filteredOn(response -> "false"
                        .equals(response.headers()
                                .firstValue("Idempotent-Replayed")
                                .orElse("")))
                .hasSize(1);
        assertThat(eventsOnceALaterOrdersArrived(ids.iterator().next())).hasSize(1);
    }

    @Test
    void listsNewestFirstAndAnswersNotFoundForAnotherPatternsOrder() {
        String older = createOrder();
        String newer = createOrder();
        UUID otherPatterns = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO orders (id, pattern, customer_id, status, currency, total_amount, version, created_at, updated_at)
                VALUES (:id, :pattern, 'c-other', 'PENDING', 'EUR', 1, 1, now(), now())
                """)
                .param("id", otherPatterns)
                .param(
                        "pattern",
                        pattern() == Pattern.TRANSACTIONAL_OUTBOX ? "LISTEN_TO_YOURSELF" : "TRANSACTIONAL_OUTBOX")
                .update();

        JsonNode list =
                json.readTree(RestProbe.at(port).get("/api/orders?limit=2").body());

        assertThat(list.findValuesAsString("id")).containsExactly(newer, older);
        assertThat(RestProbe.at(port).get("/api/orders/" + otherPatterns).statusCode())
                .isEqualTo(404);
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String customer = "refused-" + UUID.randomUUID();
        String padded =
                order(customer).replace("\"currency\"", "\"padding\": \"" + "x".repeat(70_000) + "\", \"currency\"");

        HttpResponse<String> tooLarge = post("/api/orders", padded, Map.of());
        HttpResponse<String> invalid = post("/api/orders", order(customer).replace("EUR", "euro"), Map.of());

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(List.of(tooLarge, invalid))
                .allSatisfy(response -> assertThat(response.headers().firstValue("Content-Type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json")));
        assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = :c")
                        .param("c", customer)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void noGeneratedOrMutatedBodyGetsA5xxAndEveryRefusedOneWritesNothing() {
        String keys = "fuzz-" + UUID.randomUUID() + "-";
        long before = ordersOfThisPattern();
        int created = 0;
        // -Dorder-bodies.seed=<the seed a failure printed> sends the same bodies again
        long seed = Long.getLong("order-bodies.seed", System.nanoTime());
        List<String> bodies = OrderBodies.sample(GENERATED_BODIES, seed);
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            // Every fifth request under one of a few keys: replays of the same body, and reuses with another.
            Map<String, String> headers = i % 5 == 0 ? Map.of("Idempotency-Key", keys + (i % 7)) : Map.of();
            HttpResponse<String> response = post("/api/orders", body, headers);
            String shown = body.length() > 300 ? body.substring(0, 300) + "..." : body;

            assertThat(response.statusCode())
                    .as("status of body %d of seed %d: %s", i, seed, shown)
                    .isLessThan(500);
            if (response.statusCode() == 201) {
                if (response.headers()
                        .firstValue("Idempotent-Replayed")
                        .orElse("false")
                        .equals("false")) {
                    created++;
                }
            } else {
                assertThat(response.headers().firstValue("Content-Type"))
                        .as("content type of the %d for body %d of seed %d: %s", response.statusCode(), i, seed, shown)
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(response.statusCode());
            }
        }

        assertThat(ordersOfThisPattern() - before)
                .as("orders written = 201s answered (a refused request writes nothing), seed %d", seed)
                .isEqualTo(created);
        assertThat(created).as("some generated bodies are valid").isPositive();
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsRefusedAndTheSameBodyReplays() {
        String key = "reuse-" + UUID.randomUUID();
        String customer = "c-" + UUID.randomUUID();
        HttpResponse<String> first = post("/api/orders", order(customer), Map.of("Idempotency-Key", key));
        // The same order written differently: another layout, "3" as 3.00.
        HttpResponse<String> same = post(
                "/api/orders",
                order(customer).replace("\n", " ").replace("\"unitPrice\": 3}", "\"unitPrice\": 3.00}"),
                Map.of("Idempotency-Key", key));
        HttpResponse<String> other = post(
                "/api/orders",
                order(customer).replace("\"quantity\": 2", "\"quantity\": 3"),
                Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(same.statusCode()).isEqualTo(201);
        assertThat(same.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(same.body()).get("id"))
                .isEqualTo(json.readTree(first.body()).get("id"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(other.body()).get("detail").asString()).contains(key);
        assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = :c")
                        .param("c", customer)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void publishesAnOpenApiDocumentWhoseExampleIsAcceptedAndWhoseErrorsAreTheOnesItAnswers() {
        HttpResponse<String> answer = RestProbe.at(port).get("/v3/api-docs");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode document = json.readTree(answer.body());
        assertThat(document.path("openapi").asString()).startsWith("3.");
        JsonNode paths = document.path("paths");
        JsonNode create = paths.path("/api/orders").path("post");
        // the field limits come from the request's constraints
        assertThat(document.path("components")
                        .path("schemas")
                        .path("CreateOrderRequest")
                        .path("properties")
                        .path("customerId")
                        .path("maxLength")
                        .asInt())
                .isEqualTo(100);

        JsonNode example = create.path("requestBody")
                .path("content")
                .path("application/json")
                .path("examples")
                .properties()
                .iterator()
                .next()
                .getValue()
                .path("value");
        HttpResponse<String> created =
                post("/api/orders", example.isString() ? example.asString() : example.toString(), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json.readTree(created.body()).get("id").asString();

        String unknown = UUID.randomUUID().toString();
        String key = "openapi-" + UUID.randomUUID();
        post("/api/orders", order(), Map.of("Idempotency-Key", key));
        RestProbe api = RestProbe.at(port);
        record Answered(String method, String path, HttpResponse<String> response) {}
        List<Answered> errors = new ArrayList<>();
        errors.add(new Answered("post", "/api/orders", post("/api/orders", "{}", Map.of())));
        errors.add(new Answered(
                "post",
                "/api/orders",
                post(
                        "/api/orders",
                        order().replace("\"quantity\": 2", "\"quantity\": 3"),
                        Map.of("Idempotency-Key", key))));
        errors.add(new Answered("post", "/api/orders", api.post("/api/orders", "x".repeat(70_000))));
        errors.add(new Answered("get", "/api/orders/{id}", api.get("/api/orders/" + unknown)));
        errors.add(new Answered("get", "/api/orders/{id}", api.get("/api/orders/not-a-uuid")));
        errors.add(new Answered("get", "/api/orders", api.get("/api/orders?limit=0")));
        errors.add(new Answered("post", "/api/orders/{id}/cancel", api.post("/api/orders/" + unknown + "/cancel")));
        api.post("/api/orders/" + id + "/cancel");
        errors.add(new Answered("post", "/api/orders/{id}/confirm", api.post("/api/orders/" + id + "/confirm")));

        for (Answered error : errors) {
            String operation = error.method() + " " + error.path();
            HttpResponse<String> response = error.response();
            JsonNode documented = paths.path(error.path())
                    .path(error.method())
                    .path("responses")
                    .path(Integer.toString(response.statusCode()));
            assertThat(documented.isMissingNode())
                    .as(
                            "%s answered %d, which its document does not list: %s",
                            operation, response.statusCode(), response.body())
                    .isFalse();
            assertThat(documented.path("content").has("application/problem+json"))
                    .as(operation)
                    .isTrue();
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(operation)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(errors).extracting(error -> error.response().statusCode()).contains(400, 404, 409, 413, 422);
    }

    private long ordersOfThisPattern() {
        return jdbc.sql("SELECT count(*) FROM orders WHERE pattern = :p")
                .param("p", pattern().name())
                .query(Long.class)
                .single();
    }

    @Test
    void aFailedEventWriteLeavesNeitherOrderNorEvent() {
        if (pattern().eventTable() == null) {
            return; // the naive service writes no event row: there is nothing to fail inside its transaction
        }
        String customer = "atomicity-" + UUID.randomUUID();
        // A real failure of the event insert, after the order row is already written in the same transaction.
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION refuse_probe_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- the whole row as text: the event tables' payload and the peers' libraries' own columns alike
                    IF row_to_json(NEW)::text LIKE '%atomicity-%' THEN
                        RAISE EXCEPTION 'event insert refused by the atomicity test';
                    END IF;
                    RETURN NEW;
                END $$""").update();
        jdbc.sql(
                        "CREATE OR REPLACE TRIGGER refuse_probe_event BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION refuse_probe_event()"
                                .formatted(pattern().eventTable()))
                .update();
        try {
            HttpResponse<String> response = post("/api/orders", order(customer), Map.of());

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).doesNotContain("at dev.dualwrite").doesNotContain("refused by the atomicity");
            assertThat(jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = :c")
                            .param("c", customer)
                            .query(Long.class)
                            .single())
                    .isZero();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_probe_event ON %s".formatted(pattern().eventTable()))
                    .update();
        }
    }

    /**
     * The order's events, oldest first, once there are at least {@code count}: from the event table of a polled
     * pattern (all of them, at once), else from the topic (all read by then).
     */
    protected List<JsonNode> awaitEvents(String orderId, int count) {
        if (pattern().polled()) {
            return jdbc
                    .sql("SELECT payload::text FROM %s WHERE aggregateid = :id ORDER BY position"
                            .formatted(pattern().eventTable()))
                    .param("id", orderId)
                    .query(String.class)
                    .list()
                    .stream()
                    .map(json::readTree)
                    .toList();
        }
        return TopicProbe.awaitRecords(pattern().topic(), Set.of(orderId), count).get(orderId).stream()
                .map(record -> json.readTree(record.value()))
                .toList();
    }

    /**
     * All events of the order, read once an order created after it has its first event where the pattern puts its
     * events: an extra event of this order would be there by then.
     */
    protected List<JsonNode> eventsOnceALaterOrdersArrived(String orderId) {
        awaitEvents(createOrder(), 1);
        if (pattern().polled()) {
            return awaitEvents(orderId, 0);
        }
        return TopicProbe.recordsUpToNow(pattern().topic(), orderId).stream()
                .map(record -> json.readTree(record.value()))
                .toList();
    }

    /** {@code clients} threads sending {@code request}, released together so that the requests meet in the service. */
    private static List<HttpResponse<String>> allAtOnce(int clients, Callable<HttpResponse<String>> request)
            throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch ready = new CountDownLatch(clients);
            List<Callable<HttpResponse<String>>> requests = IntStream.range(0, clients)
                    .<Callable<HttpResponse<String>>>mapToObj(i -> () -> {
                        ready.countDown();
                        ready.await();
                        return request.call();
                    })
                    .toList();
            return threads.invokeAll(requests).stream()
                    .map(OrderApiAcceptanceTest::result)
                    .toList();
        } finally {
            threads.shutdown();
        }
    }

    protected String createOrder() {
        HttpResponse<String> response = post("/api/orders", order(), Map.of());
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asString();
    }

    protected String order() {
        return order("c-" + UUID.randomUUID());
    }

    protected static String order(String customerId) {
        return VALID.formatted(customerId);
    }

    protected HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        return RestProbe.at(port).post(path, body, headers);
    }

    private static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
