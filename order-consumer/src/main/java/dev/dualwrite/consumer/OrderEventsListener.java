package dev.dualwrite.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dualwrite.consuming.OrderEventReader;
import dev.dualwrite.failpoints.Failpoints;
import dev.dualwrite.consuming.ProcessedEvents;
import dev.dualwrite.events.OrderEvent;

/**
 * Applies every order event of every pattern to consumed_orders, exactly once in effect. Per record, one transaction:
 * insert (consumer, event id) into processed_events first — a duplicate key means the event was applied already, skip;
 * then apply the event if it is the next version of its order; commit. The offset is committed after the transaction.
 * An event that is not the next version is never applied: see {@link VersionGapException} and
 * {@link StaleEventException} for the policy.
 */
@Component
class OrderEventsListener {

    static final String CONSUMER = "order-consumer";

    private final OrderEventReader reader;
    private final ProcessedEvents processed;
    private final ConsumedOrders consumedOrders;
    private final TransactionTemplate transaction;
    private final Failpoints failpoints;
    private final ConsumerMetrics metrics;
    private final Clock clock;

    OrderEventsListener(OrderEventReader reader, ProcessedEvents processed, ConsumedOrders consumedOrders,
                        PlatformTransactionManager transactionManager, Failpoints failpoints, ConsumerMetrics metrics,
                        Clock clock) {
        this.reader = reader;
        this.processed = processed;
        this.consumedOrders = consumedOrders;
        this.transaction = new TransactionTemplate(transactionManager);
        this.failpoints = failpoints;
        this.metrics = metrics;
        this.clock = clock;
    }

    @KafkaListener(topics = "#{'${consumer.topics}'.split(',')}")
    void onEvent(ConsumerRecord<String, byte[]> record) {
        OrderEvent event = reader.read(record);
        Instant appliedAt = transaction.execute(status -> {
            if (!processed.firstTime(CONSUMER, event.eventId())) {
                return null;
            }
            Instant now = clock.instant();
            Optional<ConsumedOrder> current = consumedOrders.findForUpdate(event.orderId());
            int expected = current.map(order -> order.version() + 1).orElse(1);
            if (event.version() < expected) {
                throw new StaleEventException("stale event %s: version %d of order %s, but version %d is applied"
                        .formatted(event.eventId(), event.version(), event.orderId(), expected - 1));
            }
            if (event.version() > expected) {
                throw new VersionGapException("gap before event %s: version %d of order %s, expected version %d"
                        .formatted(event.eventId(), event.version(), event.orderId(), expected));
            }
            if (current.isPresent()) {
                consumedOrders.update(event, now);
            } else {
                consumedOrders.insert(event, now);
            }
            return now;
        });
        failpoints.hit(Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET);
        if (appliedAt == null) {
            metrics.duplicate();
        } else {
            metrics.applied(event.pattern(), Duration.between(event.occurredAt(), appliedAt));
        }
    }
}
