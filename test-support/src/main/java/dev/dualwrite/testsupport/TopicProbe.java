package dev.dualwrite.testsupport;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic of the test stack from the beginning, as an independent consumer with a group of its own. */
public final class TopicProbe {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TopicProbe() {}

    /** Waits until every key has at least {@code perKey} records, and returns all records read, by key. */
    public static Map<String, List<ConsumerRecord<String, String>>> awaitRecords(
            String topic, Set<String> keys, int perKey) {
        Map<String, List<ConsumerRecord<String, String>>> byKey = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config(), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> byKey.computeIfAbsent(record.key(), key -> new ArrayList<>())
                                .add(record));
                return keys.stream()
                        .allMatch(key -> byKey.getOrDefault(key, List.of()).size() >= perKey);
            });
        }
        return byKey;
    }

    /** The records of one key, values as raw bytes, once there are at least {@code atLeast}. */
    public static List<ConsumerRecord<String, byte[]>> awaitRawRecords(String topic, String key, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= atLeast;
            });
        }
        return found;
    }

    /** A header's value as text, or "" when the record has none. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Every record of one key on the topic as far as it is written now: each partition read from its beginning to the
     * end offset it had when the call began. For "exactly n" assertions, after a later record was seen.
     */
    public static List<ConsumerRecord<String, String>> recordsUpToNow(String topic, String key) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config(), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
        }
        return found;
    }

    private static Map<String, Object> config() {
        return Map.of(
                "bootstrap.servers",
                TestStack.postgresAndKafka().settings().bootstrapServers(),
                "group.id",
                "probe-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest");
    }
}
