package dev.dualwrite.peers.namastack;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import io.namastack.outbox.handler.OutboxRecordMetadata;
import io.namastack.outbox.handler.OutboxTypedHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a namastack outbox record as the contract's record: key the order id, headers {@code id} and
 * {@code eventType}, the event record as the value. What namastack-outbox-kafka's KafkaOutboxHandler does (a synchronous
 * send: the record is completed only once the broker acknowledged it; a failure is retried by namastack's retry
 * policy) — that module is not on the Maven mirror this project builds from, so the handler is written here, the same
 * way. The timeout bounds a send the producer itself would let wait for delivery.timeout.ms.
 */
@Component
class KafkaPublishingHandler implements OutboxTypedHandler<OrderEvent> {

    private static final long SEND_TIMEOUT_SECONDS = 15;

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
            kafka.send(record).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending event " + event.eventId() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending event " + event.eventId(), e);
        }
    }
}
