package dev.dualwrite.lty;

import dev.dualwrite.consuming.IdempotentConsumer;
import dev.dualwrite.consuming.InvalidEventException;
import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.OrderService;
import dev.dualwrite.orders.OrderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The service listening to itself: its own OrderCreated event, once relayed to Kafka, drives the order to CONFIRMED.
 * Through the {@link IdempotentConsumer}, per poll one transaction: mark its OrderCreated events processed first (a
 * duplicate delivery stops there), then confirm each order that is still PENDING and write its OrderConfirmed into
 * lty_events. The offsets are committed after the transaction, so a crash in between redelivers the records, and the
 * marks make the redelivery change nothing. Its other events come back too (they answer long polls) but change
 * nothing here: they are read and checked like every record (a bad one is dead-lettered), and are not marked.
 */
@Component
class OwnEventsListener {

    static final String CONSUMER = "order-service-listen-to-yourself";
    private static final Logger log = LoggerFactory.getLogger(OwnEventsListener.class);

    private final IdempotentConsumer idempotent;
    private final OrderService orders;
    private final OrderChangeWaiter waiter;
    private final Counter confirmed;

    OwnEventsListener(
            IdempotentConsumer idempotent, OrderService orders, OrderChangeWaiter waiter, MeterRegistry meters) {
        this.idempotent = idempotent;
        this.orders = orders;
        this.waiter = waiter;
        this.confirmed = Counter.builder("orders.self.confirmed")
                .tag("consumer", CONSUMER)
                .register(meters);
        idempotent.duplicates(CONSUMER); // registered from the start, so that it is exported before the first one
    }

    @KafkaListener(topics = "#{T(dev.dualwrite.events.Pattern).LISTEN_TO_YOURSELF.topic()}", batch = "true")
    void onOwnEvents(List<ConsumerRecord<String, byte[]>> records) {
        idempotent.handleAll(
                CONSUMER,
                records,
                OwnEventsListener::requireOwn,
                event -> event.eventType() == EventType.OrderCreated,
                this::confirm,
                // Committed: a long poll on this order answers now. (Every change of an order comes back here.)
                outcome -> waiter.changed(outcome.event().orderId()));
    }

    private Void confirm(OrderEvent created) {
        orders.changeIfStill(created.orderId(), OrderStatus.PENDING, EventType.OrderConfirmed)
                .ifPresentOrElse(
                        order -> confirmed.increment(),
                        () -> log.info(
                                "Order {} left PENDING before its OrderCreated came back; not confirmed",
                                created.orderId()));
        return null;
    }

    private static void requireOwn(OrderEvent event) {
        if (event.pattern() != Pattern.LISTEN_TO_YOURSELF) {
            throw new InvalidEventException(
                    "event of pattern %s on this service's own topic".formatted(event.pattern()));
        }
    }
}
