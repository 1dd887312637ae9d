package dev.dualwrite.consumer;

import dev.dualwrite.consuming.IdempotentConsumer;
import dev.dualwrite.events.OrderEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Applies every order event of every pattern to consumed_orders, exactly once in effect, through the
 * {@link IdempotentConsumer}: a poll's records in one transaction, the (consumer, event id) marks first — a duplicate
 * stops there — then each event, if it is the next version of its order; the offsets are committed after the
 * transaction. An event that is not the next version is never applied: see {@link VersionGapException} and
 * {@link StaleEventException} for the policy.
 */
@Component
class OrderEventsListener {

    static final String CONSUMER = "order-consumer";

    private final IdempotentConsumer idempotent;
    private final ConsumedOrders consumedOrders;
    private final ConsumerMetrics metrics;
    private final Clock clock;

    OrderEventsListener(
            IdempotentConsumer idempotent, ConsumedOrders consumedOrders, ConsumerMetrics metrics, Clock clock) {
        this.idempotent = idempotent;
        this.consumedOrders = consumedOrders;
        this.metrics = metrics;
        this.clock = clock;
    }

    @KafkaListener(topics = "#{'${consumer.topics}'.split(',')}", batch = "true")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        idempotent.handleAll(CONSUMER, records, this::apply, outcome -> {
            if (!outcome.duplicate()) {
                OrderEvent event = outcome.event();
                metrics.applied(event.pattern(), Duration.between(event.occurredAt(), outcome.value()));
            }
        });
    }

    private Instant apply(OrderEvent event) {
        Instant now = clock.instant();
        if (consumedOrders.applyIfNext(event, now)) {
            return now;
        }
        int expected = consumedOrders
                .find(event.orderId())
                .map(order -> order.version() + 1)
                .orElse(1);
        if (event.version() < expected) {
            throw new StaleEventException("stale event %s: version %d of order %s, but version %d is applied"
                    .formatted(event.eventId(), event.version(), event.orderId(), expected - 1));
        }
        if (event.version() > expected) {
            throw new VersionGapException("gap before event %s: version %d of order %s, expected version %d"
                    .formatted(event.eventId(), event.version(), event.orderId(), expected));
        }
        throw new IllegalStateException(
                "order %s changed while event %s was applied".formatted(event.orderId(), event.eventId()));
    }
}
