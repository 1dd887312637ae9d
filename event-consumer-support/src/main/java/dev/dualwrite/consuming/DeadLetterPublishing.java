package dev.dualwrite.consuming;

import dev.dualwrite.events.Pattern;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/**
 * spring-kafka's {@link DeadLetterPublishingRecoverer} with a producer of its own, so the dead letter carries the
 * original bytes whatever serializers the application configures: keys as read (text), values as raw bytes.
 */
public class DeadLetterPublishing implements DisposableBean {

    private final DefaultKafkaProducerFactory<Object, Object> producers;
    private final DeadLetterPublishingRecoverer recoverer;

    public DeadLetterPublishing(Map<String, Object> producerProperties) {
        Map<String, Object> properties = new HashMap<>(producerProperties);
        properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        DelegatingByTypeSerializer keys = new DelegatingByTypeSerializer(
                Map.of(byte[].class, new ByteArraySerializer(), String.class, new StringSerializer()));
        DelegatingByTypeSerializer values = new DelegatingByTypeSerializer(
                Map.of(byte[].class, new ByteArraySerializer(), String.class, new StringSerializer()));
        this.producers = new DefaultKafkaProducerFactory<>(properties, keys, values);
        // The contract's <topic>.DLT, same partition (the DLTs have as many partitions as their topics); spring-kafka
        // 4 would otherwise name it <topic>-dlt.
        this.recoverer = new DeadLetterPublishingRecoverer(
                new KafkaTemplate<>(producers),
                (record, failure) ->
                        new TopicPartition(record.topic() + Pattern.DEAD_LETTER_SUFFIX, record.partition()));
    }

    DeadLetterPublishingRecoverer recoverer() {
        return recoverer;
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
