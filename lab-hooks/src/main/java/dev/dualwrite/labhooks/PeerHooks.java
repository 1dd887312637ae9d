package dev.dualwrite.labhooks;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;

/**
 * The lab inside a peer (docs/peers.md), whose publishing is a library's: the moment that matters is between the
 * broker's acknowledgement and the library's record of it (namastack marks the record completed, Modulith the
 * publication). A producer interceptor's {@code onAcknowledgement} runs before the send's future completes, so a halt
 * there is a crash in exactly that window, whatever the library does with the future.
 */
final class PeerHooks {

    /** The producer config entry that hands the interceptor the application's {@link Failpoints}. */
    static final String FAILPOINTS_CONFIG = "dualwrite.lab.failpoints";

    private PeerHooks() {}

    /** Adds the interceptor to the producer factory Boot builds (the one the library's KafkaTemplate uses). */
    static DefaultKafkaProducerFactoryCustomizer ackFailpoint(Failpoints failpoints) {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
                AckFailpoint.class.getName(),
                FAILPOINTS_CONFIG,
                failpoints));
    }

    /** Kafka creates it from its class name and configures it with the producer's configs. */
    public static final class AckFailpoint implements ProducerInterceptor<Object, Object> {

        private Failpoints failpoints;

        @Override
        public void configure(Map<String, ?> configs) {
            failpoints = (Failpoints) configs.get(FAILPOINTS_CONFIG);
        }

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            if (exception == null && failpoints != null) {
                failpoints.hit(Failpoints.PEER_AFTER_ACK_BEFORE_MARK);
            }
        }

        @Override
        public void close() {}
    }
}
