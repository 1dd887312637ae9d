package dev.dualwrite.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dualwrite.consuming.IdempotencyRetention;
import dev.dualwrite.consuming.IdempotentConsumer;
import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.testsupport.NativeStackTest;
import dev.dualwrite.testsupport.TestStack;
import dev.dualwrite.testsupport.TopicProbe;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(
        properties = {
            "events.consumer.errors.retries=2",
            "events.consumer.errors.initial-interval=50ms",
            "events.consumer.idempotency.cleanup-batch-size=5"
        })
@NativeStackTest
class OrderEventsListenerIT {

    private static final String TOPIC = Pattern.TRANSACTIONAL_OUTBOX.topic();
    private static final int PARTITION = 0;

    private final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    HealthEndpoint health;

    @Autowired
    ConsumedOrders consumedOrders;

    @Autowired
    ConsumerMetrics metrics;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    ConsumedOrderController api;

    @Autowired
    IdempotencyRetention retention;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotentConsumer idempotent;

    /** One context for every test here: a second one would join the same consumer group and share its partitions. */
    @Test
    void startsOnTheSharedSchemaAndReportsHealthUp() {
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void idempotencyRecordsPastTheRetentionAreDeletedAndRecentOnesKept() {
        String consumer = "retention-" + UUID.randomUUID();
        for (int i = 0; i < 12; i++) {
            jdbc.sql("""
                    INSERT INTO processed_events (consumer, event_id, processed_at)
                    VALUES (:consumer, :id, now() - interval '8 days')
                    """)
                    .param("consumer", consumer)
                    .param("id", UUID.randomUUID())
                    .update();
        }
        UUID recent = UUID.randomUUID();
        jdbc.sql("INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :id)")
                .param("consumer", consumer)
                .param("id", recent)
                .update();

        assertThat(retention.deleteExpired()).isGreaterThanOrEqualTo(12);

        assertThat(jdbc.sql("SELECT event_id FROM processed_events WHERE consumer = :consumer")
                        .param("consumer", consumer)
                        .query(UUID.class)
                        .list())
                .containsExactly(recent);
    }

    @Test
    void appliesEachEventOfAnOrderInVersionOrder() throws Exception {
        UUID order = UUID.randomUUID();
        send(event(order, 1, EventType.OrderCreated, "PENDING"));
        send(event(order, 2, EventType.OrderConfirmed, "CONFIRMED"));
        send(event(order, 3, EventType.OrderCancelled, "CANCELLED"));

        ConsumedOrder consumed = awaitVersion(order, 3);
        assertThat(consumed.status()).isEqualTo("CANCELLED");
        assertThat(consumed.eventsApplied()).isEqualTo(3);
        assertThat(consumed.pattern()).isEqualTo("TRANSACTIONAL_OUTBOX");
        assertThat(metrics.latency(Pattern.TRANSACTIONAL_OUTBOX).count()).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void statsCountOrdersPerPatternWithLatencyPercentilesAndTheViewIsReadable() throws Exception {
        UUID order = UUID.randomUUID();
        send(event(order, 1, EventType.OrderCreated, "PENDING"));
        awaitVersion(order, 1);

        Map<String, Object> stats = api.stats();
        Map<String, Object> outbox =
                (Map<String, Object>) ((Map<String, Object>) stats.get("patterns")).get("TRANSACTIONAL_OUTBOX");
        assertThat((Long) outbox.get("orders")).isPositive();
        assertThat((Long) outbox.get("eventsApplied")).isGreaterThanOrEqualTo((Long) outbox.get("orders"));
        assertThat(outbox).containsKeys("latencyP50Ms", "latencyP99Ms", "deadLettered");
        assertThat(stats).containsKey("duplicatesSkipped");
        assertThat(api.consumedOrder(order).version()).isEqualTo(1);
        assertThatThrownBy(() -> api.consumedOrder(UUID.randomUUID()))
                .isInstanceOf(ErrorResponseException.class)
                .hasMessageContaining("404");
    }

    @Test
    void aDuplicateRecordHasOneEffect() throws Exception {
        UUID order = UUID.randomUUID();
        OrderEvent created = event(order, 1, EventType.OrderCreated, "PENDING");
        double duplicatesBefore = metrics.duplicatesSkipped();

        send(created);
        send(created);
        send(event(order, 2, EventType.OrderConfirmed, "CONFIRMED"));

        ConsumedOrder consumed = awaitVersion(order, 2);
        assertThat(consumed.eventsApplied()).isEqualTo(2);
        assertThat(metrics.duplicatesSkipped()).isGreaterThan(duplicatesBefore);
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTheNextOneIsApplied() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] garbage = ("{\"not\": \"an event\" " + key).getBytes(StandardCharsets.UTF_8);
        sendRaw(key, garbage, Map.of());
        UUID order = UUID.randomUUID();
        send(event(order, 1, EventType.OrderCreated, "PENDING"));

        awaitVersion(order, 1);
        ConsumerRecord<String, byte[]> dead = deadLetter(key);
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(dead.partition()).isEqualTo(PARTITION);
    }

    @Test
    void anUnknownEventTypeGoesToTheDeadLetterTopic() throws Exception {
        UUID order = UUID.randomUUID();
        OrderEvent event = event(order, 1, EventType.OrderCreated, "PENDING");
        byte[] value = json.writeValueAsString(event)
                .replace("\"OrderCreated\"", "\"OrderShipped\"")
                .getBytes(StandardCharsets.UTF_8);
        sendRaw(order.toString(), value, Map.of("id", event.eventId().toString(), "eventType", "OrderShipped"));

        assertThat(TopicProbe.header(deadLetter(order.toString()), "kafka_dlt-exception-message"))
                .contains("not an order event");
        assertThat(consumedOrders.find(order)).isEmpty();
    }

    @Test
    void aVersionGapIsRetriedThenDeadLetteredWithTheReasonAndNotApplied() throws Exception {
        UUID order = UUID.randomUUID();
        send(event(order, 1, EventType.OrderCreated, "PENDING"));
        send(event(order, 3, EventType.OrderCancelled, "CANCELLED"));

        ConsumerRecord<String, byte[]> dead = deadLetter(order.toString());
        assertThat(TopicProbe.header(dead, "kafka_dlt-exception-message")).contains("version 3", "expected version 2");
        assertThat(consumedOrders.find(order))
                .get()
                .extracting(ConsumedOrder::version)
                .isEqualTo(1);
    }

    @Test
    void aStaleVersionIsDeadLetteredAtOnceAndNotApplied() throws Exception {
        UUID order = UUID.randomUUID();
        send(event(order, 1, EventType.OrderCreated, "PENDING"));
        send(event(order, 2, EventType.OrderConfirmed, "CONFIRMED"));
        awaitVersion(order, 2);
        send(event(order, 1, EventType.OrderCreated, "PENDING"));

        assertThat(TopicProbe.header(deadLetter(order.toString()), "kafka_dlt-exception-message"))
                .contains("stale", "version 2 is applied");
        assertThat(consumedOrders.find(order))
                .get()
                .extracting(ConsumedOrder::status)
                .isEqualTo("CONFIRMED");
    }

    @Test
    void aPollOfManyRecordsIsAppliedInOneTransaction() throws Exception {
        List<UUID> orders = new ArrayList<>();
        List<UUID> eventIds = new ArrayList<>();
        double fallbacksBefore =
                idempotent.fallbacks(OrderEventsListener.CONSUMER).count();

        // Sent while the listener is stopped, so that they come back as one poll.
        listeners.stop();
        for (int i = 0; i < 10; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            for (OrderEvent event : List.of(
                    event(order, 1, EventType.OrderCreated, "PENDING"),
                    event(order, 2, EventType.OrderConfirmed, "CONFIRMED"))) {
                send(event);
                eventIds.add(event.eventId());
            }
        }
        listeners.start();

        for (UUID order : orders) {
            assertThat(awaitVersion(order, 2).eventsApplied()).isEqualTo(2);
        }
        // processed_at is the inserting transaction's start: one value for the 20 marks, two if the poll came in two
        assertThat(jdbc.sql("""
                        SELECT count(DISTINCT processed_at) FROM processed_events
                         WHERE consumer = :consumer AND event_id = ANY(:ids)
                        """)
                        .param("consumer", OrderEventsListener.CONSUMER)
                        .param("ids", new SqlArrayValue("uuid", eventIds.toArray()))
                        .query(Long.class)
                        .single())
                .isLessThanOrEqualTo(2L);
        assertThat(idempotent.fallbacks(OrderEventsListener.CONSUMER).count()).isEqualTo(fallbacksBefore);
    }

    @Test
    void aPollWithBadRecordsInItKeepsThoseBeforeThemAppliesThoseAfterAndDeadLettersOnlyTheBadOnes() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        OrderEvent firstCreated = event(first, 1, EventType.OrderCreated, "PENDING");
        String garbageKey = UUID.randomUUID().toString();
        byte[] garbage = ("not json " + garbageKey).getBytes(StandardCharsets.UTF_8);
        double duplicatesBefore = metrics.duplicatesSkipped();

        // Sent while the listener is stopped, so that they come back as one poll.
        listeners.stop();
        send(firstCreated);
        send(firstCreated);
        send(event(second, 1, EventType.OrderCreated, "PENDING"));
        sendRaw(garbageKey, garbage, Map.of());
        send(event(first, 2, EventType.OrderConfirmed, "CONFIRMED"));
        send(event(second, 1, EventType.OrderCreated, "PENDING"));
        send(event(third, 1, EventType.OrderCreated, "PENDING"));
        listeners.start();

        assertThat(awaitVersion(third, 1).eventsApplied()).isEqualTo(1);
        assertThat(awaitVersion(first, 2).eventsApplied()).isEqualTo(2);
        assertThat(deadLetter(garbageKey).value()).isEqualTo(garbage);
        ConsumerRecord<String, byte[]> stale = deadLetter(second.toString());
        assertThat(TopicProbe.header(stale, "kafka_dlt-exception-message")).contains("stale", "version 1 is applied");
        assertThat(TopicProbe.header(stale, "kafka_dlt-exception-fqcn")).endsWith("StaleEventException");
        ConsumedOrder secondOrder = consumedOrders.find(second).orElseThrow();
        assertThat(secondOrder.version()).isEqualTo(1);
        assertThat(secondOrder.eventsApplied()).isEqualTo(1);
        assertThat(metrics.duplicatesSkipped()).isGreaterThan(duplicatesBefore);
    }

    @Test
    void replayingTheWholeTopicAfterARestartDoublesNothing() throws Exception {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            send(event(order, 1, EventType.OrderCreated, "PENDING"));
            send(event(order, 2, EventType.OrderConfirmed, "CONFIRMED"));
        }
        for (UUID order : orders) {
            awaitVersion(order, 2);
        }

        // A restart that lost every committed offset: the group starts over from the beginning of the topic.
        listeners.stop();
        rewindGroupToTheBeginning();
        listeners.start();
        UUID marker = UUID.randomUUID();
        send(event(marker, 1, EventType.OrderCreated, "PENDING"));
        awaitVersion(marker, 1);

        for (UUID order : orders) {
            ConsumedOrder consumed = consumedOrders.find(order).orElseThrow();
            assertThat(consumed.version()).isEqualTo(2);
            assertThat(consumed.eventsApplied()).isEqualTo(2);
        }
    }

    private void rewindGroupToTheBeginning() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeConsumerGroups(List.of("order-consumer"))
                            .all()
                            .get()
                            .get("order-consumer")
                            .members()
                            .isEmpty());
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (String topic : List.of(
                    Pattern.TRANSACTIONAL_OUTBOX.topic(),
                    Pattern.LISTEN_TO_YOURSELF.topic(),
                    Pattern.TRANSACTIONAL_LOG_TAILING.topic())) {
                for (int partition = 0; partition < 3; partition++) {
                    earliest.put(new TopicPartition(topic, partition), OffsetSpec.earliest());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(earliest)
                    .all()
                    .get()
                    .forEach((partition, info) -> offsets.put(partition, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets("order-consumer", offsets).all().get();
        }
    }

    private ConsumedOrder awaitVersion(UUID order, int version) {
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        consumedOrders.find(order).map(ConsumedOrder::version).orElse(0) >= version);
        return consumedOrders.find(order).orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        return TopicProbe.awaitRawRecords(Pattern.TRANSACTIONAL_OUTBOX.deadLetterTopic(), key, 1)
                .get(0);
    }

    private OrderEvent event(UUID order, int version, EventType type, String status) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new OrderEvent(
                UUID.randomUUID(),
                type,
                order,
                Pattern.TRANSACTIONAL_OUTBOX,
                version,
                now,
                new OrderEvent.OrderSnapshot(
                        order,
                        "c-1",
                        status,
                        "EUR",
                        new BigDecimal("10.00"),
                        List.of(new OrderEvent.Item("sku-1", 1, new BigDecimal("10.00")))));
    }

    private void send(OrderEvent event) throws Exception {
        sendRaw(
                event.orderId().toString(),
                json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8),
                Map.of(
                        "id",
                        event.eventId().toString(),
                        "eventType",
                        event.eventType().name()));
    }

    /** Everything on one partition, so that "the next record" is really behind the bad one. */
    private void sendRaw(String key, byte[] value, Map<String, String> headers) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPIC, PARTITION, key, value);
            headers.forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }
    }

    private static String bootstrap() {
        return TestStack.postgresAndKafka().settings().bootstrapServers();
    }
}
