package dev.dualwrite.peers.namastack;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import io.namastack.outbox.handler.OutboxRecordMetadata;
import io.namastack.outbox.handler.OutboxTypedHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a namastack outbox record as the contract's record: key the order id, headers {@code id} and
 * {@code eventType}, the event record as the value. What namastack-outbox-kafka's KafkaOutboxHandler does (a synchronous
 * send: the record is completed only once the broker acknowledged it; a failure is retried by namastack's retry
 * policy) — that module is not on the Maven mirror this project builds from, so the handler is written here, the same
 * way. The wait is bounded by the producer's delivery.timeout.ms (application.yml), after which the send fails.
 */
@Component
class KafkaPublishingHandler implements OutboxTypedHandler<OrderEvent> {

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;

    KafkaPublishingHandler(KafkaTemplate<String, String> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    @Override
    public void handle(OrderEvent event, OutboxRecordMetadata metadata) {
        ProducerRecord<String, String> record =
                new ProducerRecord<>(Pattern.PEER_NAMASTACK.topic(), metadata.getKey(), json.writeValueAsString(event));
        record.headers().add(OrderEvent.ID_HEADER, event.eventId().toString().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(OrderEvent.EVENT_TYPE_HEADER, event.eventType().name().getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending event " + event.eventId() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending event " + event.eventId(), e);
        }
    }
}
