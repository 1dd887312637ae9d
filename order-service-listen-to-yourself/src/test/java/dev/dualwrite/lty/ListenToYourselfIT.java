package dev.dualwrite.lty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.NativeStackTest;
import dev.dualwrite.testsupport.RestProbe;
import dev.dualwrite.testsupport.TestStack;
import dev.dualwrite.testsupport.TopicProbe;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // lty-poller's relay, in this context: the loop service → lty_events → topic → service runs in one JVM
            "relay.pattern=LISTEN_TO_YOURSELF",
            "events.consumer.errors.retries=2",
            "events.consumer.errors.initial-interval=50ms"
        })
@NativeStackTest
// Its relay and listener stop with the class: they would confirm the orders of the acceptance suite's context.
@DirtiesContext
class ListenToYourselfIT {

    private static final String TOPIC = Pattern.LISTEN_TO_YOURSELF.topic();
    private static final String ORDER = """
            {"customerId": "c-lty", "currency": "EUR", "items": [{"sku": "mug", "quantity": 1, "unitPrice": 7.00}]}
            """;

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void confirmsACreatedOrderFromItsOwnOrderCreatedEvent() throws Exception {
        JsonNode created = json.readTree(post("/api/orders", ORDER).body());
        String id = created.get("id").asString();
        assertThat(created.get("status").asString()).isEqualTo("PENDING");

        await().atMost(Duration.ofSeconds(20)).until(() -> "CONFIRMED".equals(status(id)));

        assertThat(json.readTree(get("/api/orders/" + id).body()).get("version").asInt())
                .isEqualTo(2);
        List<ConsumerRecord<String, String>> records = recordsOf(TOPIC, id, 2);
        assertThat(records)
                .extracting(
                        record -> json.readTree(record.value()).get("eventType").asString())
                .containsExactly("OrderCreated", "OrderConfirmed");
        assertThat(records)
                .extracting(
                        record -> json.readTree(record.value()).get("version").asInt())
                .containsExactly(1, 2);
        // Only its OrderCreated has an effect here and is marked processed; OrderConfirmed, read back meanwhile, is
        // not.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> processedEventsOf(id) == 1);
    }

    @Test
    void refusesAClientConfirmationSayingThatConfirmationComesFromTheEventStream() throws Exception {
        String id = json.readTree(post("/api/orders", ORDER).body()).get("id").asString();

        HttpResponse<String> response = post("/api/orders/" + id + "/confirm", "");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json.readTree(response.body()).get("detail").asString()).contains("from its own OrderCreated event");
    }

    @Test
    void aCancelRacingTheSelfConfirmationEndsInALegalStateWithVersionsInOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id =
                    json.readTree(post("/api/orders", ORDER).body()).get("id").asString();
            assertThat(post("/api/orders/" + id + "/cancel", "").statusCode()).isEqualTo(200);
            ids.add(id);
        }

        for (String id : ids) {
            // Its OrderCreated came back: the self-confirmation has run, or found the order cancelled.
            await().atMost(Duration.ofSeconds(20)).until(() -> processedEventsOf(id) == 1);
            JsonNode order = json.readTree(get("/api/orders/" + id).body());
            assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
            int version = order.get("version").asInt();
            assertThat(version)
                    .as("cancelled while PENDING (2), or after the self-confirmation (3)")
                    .isIn(2, 3);
            assertThat(recordsOf(TOPIC, id, version))
                    .extracting(record ->
                            json.readTree(record.value()).get("version").asInt())
                    .isEqualTo(IntStream.rangeClosed(1, version).boxed().toList());
        }
    }

    @Test
    void aRedeliveredEventChangesNothingTheSecondTime() throws Exception {
        String id = json.readTree(post("/api/orders", ORDER).body()).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONFIRMED".equals(status(id)));
        ConsumerRecord<String, byte[]> created =
                TopicProbe.awaitRawRecords(TOPIC, id, 1).get(0);

        // As after a crash between the DB commit and the offset commit: the same record, delivered again.
        send(
                TOPIC,
                created.partition(),
                created.key(),
                created.value(),
                Map.of("id", TopicProbe.header(created, "id"), "eventType", TopicProbe.header(created, "eventType")));
        String marker =
                json.readTree(post("/api/orders", ORDER).body()).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONFIRMED".equals(status(marker)));

        assertThat(json.readTree(get("/api/orders/" + id).body()).get("version").asInt())
                .isEqualTo(2);
        assertThat(eventsOf(id)).isEqualTo(2);
        assertThat(processedEventsOf(id)).isEqualTo(1);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndEveryPartitionKeepsFlowing() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] garbage = ("not json " + key).getBytes(StandardCharsets.UTF_8);
        for (int partition = 0; partition < 3; partition++) {
            send(TOPIC, partition, key, garbage, Map.of());
        }

        List<String> after = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            after.add(json.readTree(post("/api/orders", ORDER).body()).get("id").asString());
        }
        for (String id : after) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "CONFIRMED".equals(status(id)));
        }

        List<ConsumerRecord<String, byte[]>> dead =
                TopicProbe.awaitRawRecords(Pattern.LISTEN_TO_YOURSELF.deadLetterTopic(), key, 3);
        assertThat(dead).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(dead).allSatisfy(record -> {
            assertThat(record.value()).isEqualTo(garbage);
            assertThat(TopicProbe.header(record, "kafka_dlt-exception-message")).contains("no 'id' header");
        });
    }

    @Test
    void anotherPatternsEventOnItsOwnTopicIsDeadLetteredEvenWhenItsIdWasSeenBefore() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO processed_events (consumer, event_id) VALUES ('order-service-listen-to-yourself', :id)")
                .param("id", UUID.fromString(eventId))
                .update();
        String foreign = """
                {"eventId":"%1$s","eventType":"OrderCreated","orderId":"%2$s","pattern":"TRANSACTIONAL_OUTBOX",
                 "version":1,"occurredAt":"2026-01-01T00:00:00Z","order":{"id":"%2$s","customerId":"c-foreign",
                 "status":"PENDING","currency":"EUR","totalAmount":1.00,"items":[]}}""".formatted(eventId, orderId);

        send(
                TOPIC,
                0,
                orderId,
                foreign.getBytes(StandardCharsets.UTF_8),
                Map.of("id", eventId, "eventType", "OrderCreated"));

        List<ConsumerRecord<String, byte[]>> dead =
                TopicProbe.awaitRawRecords(Pattern.LISTEN_TO_YOURSELF.deadLetterTopic(), orderId, 1);
        assertThat(TopicProbe.header(dead.get(0), "kafka_dlt-exception-message"))
                .contains("event of pattern TRANSACTIONAL_OUTBOX on this service's own topic");
    }

    @Test
    void aLongPollAnswersAsSoonAsTheOrderLeavesPending() throws Exception {
        String id = json.readTree(post("/api/orders", ORDER).body()).get("id").asString();

        HttpResponse<String> response = get("/api/orders/" + id + "?waitWhileStatus=PENDING&waitSeconds=20");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("status").asString()).isEqualTo("CONFIRMED");
    }

    private String status(String id) throws Exception {
        return json.readTree(get("/api/orders/" + id).body()).get("status").asString();
    }

    private long processedEventsOf(String orderId) {
        return jdbc.sql("""
                SELECT count(*) FROM processed_events p JOIN lty_events e ON e.id = p.event_id
                 WHERE p.consumer = 'order-service-listen-to-yourself' AND e.aggregateid = :id
                """).param("id", orderId).query(Long.class).single();
    }

    private long eventsOf(String orderId) {
        return jdbc.sql("SELECT count(*) FROM lty_events WHERE aggregateid = :id")
                .param("id", orderId)
                .query(Long.class)
                .single();
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String topic, String key, int atLeast) {
        return TopicProbe.awaitRecords(topic, Set.of(key), atLeast).get(key);
    }

    private void send(String topic, int partition, String key, byte[] value, Map<String, String> headers)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        TestStack.postgresAndKafka().settings().bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, key, value);
            headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    private HttpResponse<String> post(String path, String body) {
        return RestProbe.at(port).post(path, body);
    }

    private HttpResponse<String> get(String path) {
        return RestProbe.at(port).get(path);
    }
}
