package dev.dualwrite.console.explore;

import dev.dualwrite.console.explore.OrderJourney.TopicRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads records straight from the broker, without a consumer group (nothing is committed, nobody's offsets move):
 * an order's records, found on the partition its key hashes to from the time it was created, and the newest dead
 * letters.
 */
@Component
class TopicReader {

    /** How far one look reads at most: enough for minutes of a busy topic, bounded for the page's sake. */
    private static final int MAX_SCANNED = 200_000;

    private static final Duration MAX_TIME = Duration.ofSeconds(3);

    /** Per call to the broker: on two busy cores a new consumer's first metadata took over 2 s (CI, 500 to the page). */
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(5);

    private final ConsumerFactory<String, byte[]> consumers;
    private final AtomicLong clients = new AtomicLong();

    TopicReader(ConsumerFactory<String, byte[]> consumers) {
        this.consumers = consumers;
    }

    /**
     * The records keyed {@code key} on {@code topic} from {@code since} on. The producers partition by the key's
     * murmur2 hash (Kafka's default partitioner, which the relays, Debezium and the naive service all use), so one
     * partition holds them all.
     */
    List<TopicRecord> recordsOf(String topic, String key, Instant since) {
        try (Consumer<String, byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, KAFKA_WAIT);
            if (partitions == null || partitions.isEmpty()) {
                return List.of();
            }
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions.size();
            TopicPartition where = new TopicPartition(topic, partition);
            consumer.assign(List.of(where));
            OffsetAndTimestamp from = consumer.offsetsForTimes(Map.of(where, since.toEpochMilli()), KAFKA_WAIT)
                    .get(where);
            if (from == null) {
                return List.of();
            }
            long end = consumer.endOffsets(List.of(where), KAFKA_WAIT).get(where);
            consumer.seek(where, from.offset());
            List<TopicRecord> found = new ArrayList<>();
            long scanned = 0;
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            while (consumer.position(where) < end && scanned < MAX_SCANNED && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    scanned++;
                    if (key.equals(record.key())) {
                        found.add(record(record));
                    }
                }
            }
            return found;
        }
    }

    /** The newest {@code perPartition} records of each partition of {@code topic}, newest first. */
    List<TopicRecord> newest(String topic, int perPartition) {
        try (Consumer<String, byte[]> consumer = consumer()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, KAFKA_WAIT);
            if (partitions == null || partitions.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned, KAFKA_WAIT);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, KAFKA_WAIT);
            assigned.forEach(partition ->
                    consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - perPartition)));
            List<TopicRecord> found = new ArrayList<>();
            long deadline = System.nanoTime() + MAX_TIME.toNanos();
            while (assigned.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> found.add(record(record)));
            }
            found.sort(Comparator.comparing(TopicRecord::timestamp).reversed());
            return found;
        }
    }

    /** A consumer of no group, with a client id of its own (concurrent pages each have theirs). */
    private Consumer<String, byte[]> consumer() {
        return consumers.createConsumer(null, "console-explorer", "-" + clients.incrementAndGet());
    }

    private static TopicRecord record(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), text(header.value()));
        }
        return new TopicRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key(),
                headers,
                record.value() == null ? null : text(record.value()));
    }

    /**
     * Text where the bytes are text; spring-kafka's dead-letter headers carry the original partition, offset and
     * timestamp as binary numbers, shown as numbers; anything else as hex.
     */
    static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t')) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // a number or other binary value, below
        }
        if (bytes.length == Long.BYTES) {
            return Long.toString(ByteBuffer.wrap(bytes).getLong());
        }
        if (bytes.length == Integer.BYTES) {
            return Integer.toString(ByteBuffer.wrap(bytes).getInt());
        }
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
