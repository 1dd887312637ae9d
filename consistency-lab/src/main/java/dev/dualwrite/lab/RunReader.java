package dev.dualwrite.lab;

import dev.dualwrite.lab.Evidence.CommittedOrder;
import dev.dualwrite.lab.Evidence.DeadLetter;
import dev.dualwrite.lab.Evidence.Downstream;
import dev.dualwrite.lab.Evidence.Effect;
import dev.dualwrite.lab.Evidence.TopicRecord;
import dev.dualwrite.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads back what the system produced for a run, from the database and from every topic read from the beginning — no
 * consumer group, nothing filtered by what the database has: a topic record belongs to the run when the customer id in
 * its payload does; a dead letter when its payload does or its key is one of the run's orders.
 */
final class RunReader {

    /** The exception message spring-kafka's DeadLetterPublishingRecoverer puts on a dead letter. */
    static final String DLT_REASON_HEADER = "kafka_dlt-exception-message";

    private static final String DLT_EXCEPTION_HEADER = "kafka_dlt-exception-fqcn";

    private static final String COMMITTED = """
            SELECT id, customer_id, status, version FROM orders WHERE starts_with(customer_id, ?)
            """;

    private static final String EFFECTS = """
            SELECT consumer, event_id FROM lab_effect_log WHERE order_id = ANY (?)
            """;

    private static final String DOWNSTREAM = """
            SELECT order_id, status, version, events_applied FROM consumed_orders WHERE order_id = ANY (?)
            """;

    /** The run's rows a relay has not published yet: waiting, and parked (given up on until someone redrives them). */
    static final String UNPUBLISHED = """
            SELECT count(*) FILTER (WHERE e.parked_at IS NULL), count(*) FILTER (WHERE e.parked_at IS NOT NULL)
              FROM %s e JOIN orders o ON e.aggregateid = o.id::text
             WHERE starts_with(o.customer_id, ?) AND e.published_at IS NULL
            """;

    private final StackSettings settings;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, List<ConsumerRecord<String, String>>> topics = new HashMap<>();

    RunReader(StackSettings settings) {
        this.settings = settings;
    }

    Evidence read(String runId, Writer writer) throws SQLException {
        String prefix = writer.customerPrefix(runId);
        List<CommittedOrder> committed = new ArrayList<>();
        try (Connection connection = connect()) {
            try (PreparedStatement query = connection.prepareStatement(COMMITTED)) {
                query.setString(1, prefix);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        committed.add(new CommittedOrder(
                                rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3), rows.getInt(4)));
                    }
                }
            }
            List<TopicRecord> records = new ArrayList<>();
            for (ConsumerRecord<String, String> record : topic(writer.pattern().topic(), runId)) {
                TopicRecord parsed = parse(record);
                if (parsed.customerId() != null && parsed.customerId().startsWith(prefix)) {
                    records.add(parsed);
                }
            }
            Set<UUID> orderIds = new HashSet<>();
            committed.forEach(order -> orderIds.add(order.id()));
            records.forEach(record -> orderIds.add(record.orderId()));
            List<DeadLetter> deadLetters = new ArrayList<>();
            for (ConsumerRecord<String, String> record : topic(writer.pattern().deadLetterTopic(), null)) {
                TopicRecord parsed = parse(record);
                boolean ours = parsed.customerId() != null
                        ? parsed.customerId().startsWith(prefix)
                        : orderIds.stream().anyMatch(id -> id.toString().equals(record.key()));
                if (ours) {
                    String reason = header(record, DLT_REASON_HEADER);
                    deadLetters.add(new DeadLetter(
                            record.key(),
                            parsed.eventId(),
                            reason != null ? reason : String.valueOf(header(record, DLT_EXCEPTION_HEADER)),
                            record.partition(),
                            record.offset()));
                }
            }
            List<Effect> effects = new ArrayList<>();
            Map<UUID, Downstream> downstream = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement(EFFECTS)) {
                query.setArray(1, connection.createArrayOf("uuid", orderIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        effects.add(new Effect(rows.getString(1), rows.getObject(2, UUID.class)));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement(DOWNSTREAM)) {
                query.setArray(1, connection.createArrayOf("uuid", orderIds.toArray()));
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        downstream.put(id, new Downstream(id, rows.getString(2), rows.getInt(3), rows.getInt(4)));
                    }
                }
            }
            int parked = 0;
            if (writer.unpublishedQuery() != null) {
                try (PreparedStatement query = connection.prepareStatement(writer.unpublishedQuery())) {
                    query.setString(1, prefix);
                    try (ResultSet rows = query.executeQuery()) {
                        rows.next();
                        parked = rows.getInt(2);
                    }
                }
            }
            return new Evidence(committed, records, deadLetters, effects, downstream, parked);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
    }

    /**
     * A whole topic from the beginning to its end as of now, read once per reader; with a run id, only the records
     * whose value names it (a record of the run carries its customer id, which begins with the run id): the topics
     * hold every earlier run and benchmark too, hundreds of thousands of records that would not fit the lab's heap.
     */
    private List<ConsumerRecord<String, String>> topic(String topic, String runId) {
        return topics.computeIfAbsent(topic + " " + runId, key -> readAll(topic, runId));
    }

    private List<ConsumerRecord<String, String>> readAll(String topic, String runId) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        settings.bootstrapServers(),
                        "enable.auto.commit",
                        "false",
                        "allow.auto.create.topics",
                        "false",
                        "max.poll.records",
                        "5000"),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && (runId == null
                                    || (record.value() != null && record.value().contains(runId)))) {
                        records.add(record);
                    }
                }
            }
            return records;
        }
    }

    /** As much of the event record as the value gives; unreadable fields stay null. */
    private TopicRecord parse(ConsumerRecord<String, String> record) {
        UUID eventId = uuid(header(record, "id"));
        try {
            JsonNode value = json.readTree(record.value());
            JsonNode order = value.path("order");
            return new TopicRecord(
                    record.key(),
                    eventId != null ? eventId : uuid(value.path("eventId").asString(null)),
                    uuid(value.path("orderId").asString(null)),
                    value.path("version").asInt(-1),
                    value.path("eventType").asString(null),
                    order.path("status").asString(null),
                    order.path("customerId").asString(null),
                    record.partition(),
                    record.offset());
        } catch (RuntimeException unreadable) {
            return new TopicRecord(
                    record.key(), eventId, null, -1, null, null, null, record.partition(), record.offset());
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
