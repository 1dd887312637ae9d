package dev.dualwrite.naive;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.OrderEventSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * THE DUAL WRITE PROBLEM, on purpose. The database and Kafka are written separately:
 * <ul>
 *   <li>{@code COMMIT_THEN_PUBLISH} (default): the event is sent after the order committed. A crash or a Kafka error in
 *   between loses the event: the order exists, nobody hears of it.</li>
 *   <li>{@code PUBLISH_THEN_COMMIT}: the event is sent, then the order commits. A crash or a failed commit in between
 *   leaves a phantom: everybody hears of an order that does not exist.</li>
 *   <li>{@code NO_EVENT}: the order alone, no event anywhere — not a pattern but the benchmarks' baseline.</li>
 * </ul>
 * The consistency lab halts this service between the two writes through the order services' extension point, the
 * {@link OrderEventSink} bean (its lab-hooks module wraps it under the "lab" profile).
 */
@Component
class NaiveKafkaPublisher implements OrderEventSink {

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final NaiveProperties properties;

    NaiveKafkaPublisher(KafkaTemplate<String, String> kafka, JsonMapper json, NaiveProperties properties) {
        this.kafka = kafka;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public void append(OrderEvent event) {
        if (properties.mode() == Mode.NO_EVENT) {
            return;
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(
                Pattern.NAIVE_DUAL_WRITE.topic(), event.orderId().toString(), json.writeValueAsString(event));
        record.headers().add(OrderEvent.ID_HEADER, event.eventId().toString().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(OrderEvent.EVENT_TYPE_HEADER, event.eventType().name().getBytes(StandardCharsets.UTF_8));
        if (properties.mode() == Mode.PUBLISH_THEN_COMMIT) {
            send(record);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                send(record);
            }
        });
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            kafka.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("sending the event failed: " + e.getMessage(), e);
        }
    }

    enum Mode {
        COMMIT_THEN_PUBLISH,
        PUBLISH_THEN_COMMIT,
        /** No event at all: the order insert alone, the benchmarks' baseline (./bench.sh runs it on port 8087). */
        NO_EVENT
    }

    @ConfigurationProperties("naive")
    record NaiveProperties(
            @DefaultValue("COMMIT_THEN_PUBLISH") Mode mode) {}
}
