package dev.dualwrite.consuming;

import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionTemplate;

import dev.dualwrite.events.OrderEvent;

/**
 * The idempotent consumer, written once for every listener: per event, one transaction that inserts (consumer, event
 * id) into processed_events first — a duplicate key means the event was handled already, and nothing else happens —
 * then applies the effect. An exception from the effect rolls back the mark with it, so the retry or the dead letter
 * sees the event as new. The listener returns after the commit, and only then is the offset committed.
 */
public class IdempotentConsumer {

    private final ProcessedEvents processed;
    private final TransactionTemplate transaction;
    private final ConsumerObserver observer;

    public IdempotentConsumer(ProcessedEvents processed, TransactionTemplate transaction, ConsumerObserver observer) {
        this.processed = processed;
        this.transaction = transaction;
        this.observer = observer;
    }

    /** The result of handling one delivery: a duplicate, or the effect's value (which may be null). */
    public record Outcome<T>(boolean duplicate, T value) {
    }

    public <T> Outcome<T> applyOnce(String consumer, OrderEvent event, Supplier<T> effect) {
        Outcome<T> outcome = transaction.execute(status -> {
            if (!processed.firstTime(consumer, event.eventId())) {
                return new Outcome<T>(true, null);
            }
            T value = effect.get();
            observer.applied(consumer, event);
            return new Outcome<>(false, value);
        });
        observer.committed(consumer, event);
        return outcome;
    }
}
