package dev.dualwrite.consuming;

import dev.dualwrite.events.OrderEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent consumer, written once for every listener. Per record: read and check the event
 * ({@link OrderEventReader}: a record that is not an order event goes to the error handler and the DLT), then one
 * transaction that inserts (consumer, event id) into processed_events first — a duplicate key means the event was
 * handled already, and nothing else happens — and applies the effect; after the commit, the duplicate is counted
 * ({@code events.duplicates.skipped{consumer}}) and the observer hears of it. An exception from the effect rolls back
 * the mark with it, so the retry or the dead letter sees the event as new. The listener returns after the commit, and
 * only then is the offset committed.
 */
public class IdempotentConsumer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

    private final OrderEventReader reader;
    private final ProcessedEvents processed;
    private final TransactionTemplate transaction;
    private final ConsumerObserver observer;
    private final MeterRegistry meters;

    public IdempotentConsumer(
            OrderEventReader reader,
            ProcessedEvents processed,
            TransactionTemplate transaction,
            ConsumerObserver observer,
            MeterRegistry meters) {
        this.reader = reader;
        this.processed = processed;
        this.transaction = transaction;
        this.observer = observer;
        this.meters = meters;
    }

    /** The result of handling one delivery: its event, and whether it was a duplicate or the effect's value (may be null). */
    public record Outcome<T>(OrderEvent event, boolean duplicate, T value) {}

    /** Reads the record's event and applies the effect once per (consumer, event id). */
    public <T> Outcome<T> handle(
            String consumer, ConsumerRecord<String, byte[]> record, Function<OrderEvent, T> effect) {
        return handle(consumer, record, event -> {}, effect);
    }

    /**
     * ... after {@code check} accepted the event, before any transaction: a check that throws
     * {@link InvalidEventException} sends the record to the dead-letter topic, whether or not its id was seen before.
     */
    public <T> Outcome<T> handle(
            String consumer,
            ConsumerRecord<String, byte[]> record,
            Consumer<OrderEvent> check,
            Function<OrderEvent, T> effect) {
        return apply(consumer, read(record, check), effect);
    }

    /**
     * Only reads and checks the record's event, as {@link #handle} does first: for a listener that applies some events
     * and merely observes others (an event with no effect needs neither a transaction nor a mark).
     */
    public OrderEvent read(ConsumerRecord<String, byte[]> record, Consumer<OrderEvent> check) {
        OrderEvent event = reader.read(record);
        check.accept(event);
        return event;
    }

    /** Applies the effect of an event {@link #read} from its record, once per (consumer, event id). */
    public <T> Outcome<T> apply(String consumer, OrderEvent event, Function<OrderEvent, T> effect) {
        Outcome<T> outcome = transaction.execute(status -> {
            if (!processed.firstTime(consumer, event.eventId())) {
                return new Outcome<T>(event, true, null);
            }
            T value = effect.apply(event);
            observer.applied(consumer, event);
            return new Outcome<>(event, false, value);
        });
        observer.committed(consumer, event);
        if (outcome.duplicate()) {
            duplicates(consumer).increment();
            log.debug(
                    "{} skipped duplicate {} {} of order {}",
                    consumer,
                    event.eventType(),
                    event.eventId(),
                    event.orderId());
        }
        return outcome;
    }

    /** Deliveries of events a consumer had applied already. */
    public Counter duplicates(String consumer) {
        return Counter.builder("events.duplicates.skipped")
                .tag("consumer", consumer)
                .description("Deliveries of events already applied")
                .register(meters);
    }
}
