package dev.dualwrite.lab;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a whole topic from the beginning to its current end, without a consumer group. */
final class TopicReader {

    private final String bootstrapServers;
    private final JsonMapper json = JsonMapper.builder().build();

    TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    List<TopicRecord> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers, "enable.auto.commit", "false",
                "max.poll.records", "5000"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<TopicRecord> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records.add(parse(record));
                }
            }
            return records;
        }
    }

    private TopicRecord parse(ConsumerRecord<String, String> record) {
        try {
            JsonNode value = json.readTree(record.value());
            return new TopicRecord(record.key(), uuid(header(record, "id")), UUID.fromString(value.get("orderId").asString()),
                    value.get("version").asInt(), value.get("eventType").asString(),
                    value.path("order").path("customerId").asString(""), record.partition(), record.offset());
        } catch (RuntimeException unreadable) {
            return new TopicRecord(record.key(), null, null, -1, "unreadable", "", record.partition(), record.offset());
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
