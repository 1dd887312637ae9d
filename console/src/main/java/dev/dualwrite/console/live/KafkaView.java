package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The broker's own account: how many records each topic holds (its end offsets: published, whoever published them)
 * and how far a consumer group has committed.
 */
@Component
class KafkaView {

    private static final Logger log = LoggerFactory.getLogger(KafkaView.class);

    /** Per topic: the sum of its partitions' end offsets, and the group's lag behind them. */
    record Topics(Map<String, Long> endOffsets, Map<String, Long> lag) {}

    private final Admin admin;
    private final ConsoleProperties properties;

    KafkaView(Admin admin, ConsoleProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    /** Empty when the broker does not answer in time. Topics that do not exist yet count 0. */
    Optional<Topics> topics(Collection<String> topics, String group) {
        long timeout = properties.scrapeTimeout().toMillis();
        try {
            List<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).stream()
                    .filter(topics::contains)
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(existing)
                    .allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> description
                            .partitions()
                            .forEach(partition ->
                                    latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(timeout, TimeUnit.MILLISECONDS);
            Map<String, Long> endOffsets = new HashMap<>();
            topics.forEach(topic -> endOffsets.put(topic, 0L));
            Map<String, Long> lag = new HashMap<>();
            ends.forEach((partition, end) -> {
                endOffsets.merge(partition.topic(), end.offset(), Long::sum);
                OffsetAndMetadata done = committed.get(partition);
                lag.merge(partition.topic(), end.offset() - (done == null ? 0 : done.offset()), Long::sum);
            });
            return Optional.of(new Topics(Map.copyOf(endOffsets), Map.copyOf(lag)));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("Kafka not read: {}", e.toString());
            return Optional.empty();
        }
    }
}
