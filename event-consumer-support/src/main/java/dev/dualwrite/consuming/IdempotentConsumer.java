package dev.dualwrite.consuming;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent consumer, written once for every listener, for a batch listener's poll ({@link #handleAll}). Per
 * record: read and check the event ({@link OrderEventReader}: a record that is not an order event goes to the error
 * handler and the DLT); then, for the whole poll, one transaction that inserts (consumer, event id) of every event into
 * processed_events first, in one statement — a duplicate key means the event was handled already, and nothing else
 * happens to it — and applies the effects of the others in offset order; after the commit, duplicates are counted
 * ({@code events.duplicates.skipped{consumer}}) and the observer hears of each event. An exception from an effect rolls
 * back the marks with it, so the retry or the dead letter sees the event as new. The listener returns after the commit,
 * and only then are the offsets committed. (A poll of n records costs one commit, not n.)
 *
 * <p>Each record is a consumer span continuing the trace on its headers ({@code traceparent}), from the moment the
 * poll is handled until its transaction committed (or failed); the effect runs with that span current, so an event
 * row the effect writes (listen-to-yourself's confirmation) carries the same trace onwards.
 */
public class IdempotentConsumer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

    private final OrderEventReader reader;
    private final ProcessedEvents processed;
    private final TransactionTemplate transaction;
    private final ConsumerObserver observer;
    private final MeterRegistry meters;
    private final EventTracing tracing;

    public IdempotentConsumer(
            OrderEventReader reader,
            ProcessedEvents processed,
            TransactionTemplate transaction,
            ConsumerObserver observer,
            MeterRegistry meters,
            EventTracing tracing) {
        this.reader = reader;
        this.processed = processed;
        this.transaction = transaction;
        this.observer = observer;
        this.meters = meters;
        this.tracing = tracing;
    }

    /** The result of handling one delivery: its event, and whether it was a duplicate or the effect's value (may be null). */
    public record Outcome<T>(OrderEvent event, boolean duplicate, T value) {}

    /** Reads the record's event; {@code check} may refuse it with an {@link InvalidEventException} (dead-lettered). */
    private OrderEvent read(ConsumerRecord<String, byte[]> record, Consumer<OrderEvent> check) {
        OrderEvent event = reader.read(record);
        check.accept(event);
        return event;
    }

    /** Applies the effect of one event, once per (consumer, event id), in a transaction of its own. */
    private <T> Outcome<T> apply(String consumer, OrderEvent event, Function<OrderEvent, T> effect) {
        Outcome<T> outcome = transaction.execute(status -> {
            if (!processed.firstTime(consumer, event.eventId())) {
                return new Outcome<T>(event, true, null);
            }
            T value = effect.apply(event);
            observer.applied(consumer, event);
            return new Outcome<>(event, false, value);
        });
        afterCommit(consumer, outcome);
        return outcome;
    }

    private void afterCommit(String consumer, Outcome<?> outcome) {
        OrderEvent event = outcome.event();
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
    }

    /**
     * Applies the events of a poll's records, in offset order, once per (consumer, event id), in one transaction, and
     * hands each outcome to {@code committed} after the commit. A record that cannot be read, or a transaction that
     * fails, ends in a {@link BatchListenerFailedException} naming the failing record, after the records before it are
     * committed (one transaction each when the batch's own failed): spring-kafka's error handler then commits their
     * offsets, retries or dead-letters the failing record as it would a single one, and redelivers the rest.
     */
    public <T> void handleAll(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            Function<OrderEvent, T> effect,
            Consumer<Outcome<T>> committed) {
        handleAll(consumer, records, event -> {}, event -> true, effect, committed);
    }

    /**
     * ... where {@code check} may refuse an event as {@link #read} does, and only the events {@code hasEffect} accepts
     * are marked and applied: the others reach {@code committed} as neither duplicate nor applied (value null).
     */
    public <T> void handleAll(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            Consumer<OrderEvent> check,
            Predicate<OrderEvent> hasEffect,
            Function<OrderEvent, T> effect,
            Consumer<Outcome<T>> committed) {
        List<Span> spans = new ArrayList<>(records.size());
        Map<OrderEvent, Span> spanOf = new IdentityHashMap<>();
        Function<OrderEvent, T> traced = event -> {
            Span span = spanOf.get(event);
            if (span == null) {
                return effect.apply(event);
            }
            try (Tracer.SpanInScope scope = tracing.inScope(span)) {
                return effect.apply(event);
            }
        };
        Consumer<Outcome<T>> tagged = outcome -> {
            Span span = spanOf.get(outcome.event());
            if (span != null && !span.isNoop()) {
                span.tag("duplicate", outcome.duplicate());
            }
            committed.accept(outcome);
        };
        try {
            List<OrderEvent> events = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                Span span = processSpan(consumer, record);
                spans.add(span);
                OrderEvent event;
                try {
                    event = read(record, check);
                } catch (RuntimeException unreadable) {
                    applyAll(consumer, records, events, hasEffect, traced, tagged);
                    throw new BatchListenerFailedException(unreadable.getMessage(), unreadable, record);
                }
                if (!span.isNoop()) {
                    span.tag("event.id", event.eventId().toString());
                }
                spanOf.put(event, span);
                events.add(event);
            }
            applyAll(consumer, records, events, hasEffect, traced, tagged);
        } catch (BatchListenerFailedException failed) {
            int index = records.indexOf(failed.getRecord());
            if (index >= 0 && index < spans.size()) {
                spans.get(index).error(failed.getCause() != null ? failed.getCause() : failed);
                // the records after it are redelivered: their spans here applied nothing
                spans.subList(index + 1, spans.size()).forEach(span -> span.tag("redelivered", true));
            }
            throw failed;
        } finally {
            spans.forEach(Span::end);
        }
    }

    private <T> void applyAll(
            String consumer,
            List<ConsumerRecord<String, byte[]>> records,
            List<OrderEvent> events,
            Predicate<OrderEvent> hasEffect,
            Function<OrderEvent, T> effect,
            Consumer<Outcome<T>> committed) {
        List<UUID> toMark =
                events.stream().filter(hasEffect).map(OrderEvent::eventId).toList();
        List<Outcome<T>> outcomes;
        try {
            outcomes = toMark.isEmpty()
                    ? events.stream().map(IdempotentConsumer::<T>withoutEffect).toList()
                    : transaction.execute(status -> {
                        List<UUID> unapplied = new ArrayList<>(processed.firstTimes(consumer, toMark));
                        List<Outcome<T>> applied = new ArrayList<>(events.size());
                        for (OrderEvent event : events) {
                            if (!hasEffect.test(event)) {
                                applied.add(withoutEffect(event));
                            } else if (unapplied.remove(event.eventId())) {
                                T value = effect.apply(event);
                                observer.applied(consumer, event);
                                applied.add(new Outcome<>(event, false, value));
                            } else {
                                applied.add(new Outcome<>(event, true, null));
                            }
                        }
                        return applied;
                    });
        } catch (RuntimeException batchFailed) {
            // Which record? One transaction each finds it, and keeps those before it.
            fallbacks(consumer).increment();
            log.warn(
                    "{}: the transaction of a poll of {} records failed ({}); applying them one transaction each",
                    consumer,
                    events.size(),
                    batchFailed.toString());
            for (int i = 0; i < events.size(); i++) {
                OrderEvent event = events.get(i);
                Outcome<T> outcome;
                try {
                    outcome = hasEffect.test(event) ? apply(consumer, event, effect) : withoutEffect(event);
                } catch (RuntimeException failed) {
                    throw new BatchListenerFailedException(failed.getMessage(), failed, records.get(i));
                }
                notify(consumer, outcome, committed);
            }
            return;
        }
        for (Outcome<T> outcome : outcomes) {
            if (hasEffect.test(outcome.event())) {
                afterCommit(consumer, outcome);
            }
            notify(consumer, outcome, committed);
        }
    }

    /** The record's span, a child of the trace on its headers; a no-op one if that fails: a trace never stops an event. */
    private Span processSpan(String consumer, ConsumerRecord<String, byte[]> record) {
        try {
            Span span = tracing.childOfHeaders(record.headers())
                    .name(record.topic() + " process")
                    .kind(Span.Kind.CONSUMER)
                    .start();
            if (!span.isNoop()) {
                span.remoteServiceName("kafka")
                        .tag("messaging.system", "kafka")
                        .tag("messaging.destination.name", record.topic())
                        .tag("messaging.kafka.partition", record.partition())
                        .tag("messaging.kafka.offset", record.offset())
                        .tag("consumer", consumer);
            }
            return span;
        } catch (RuntimeException e) {
            log.warn(
                    "{}: record {}-{}@{} is handled outside its trace: {}",
                    consumer,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            return Span.NOOP;
        }
    }

    /** The effect is committed whatever the listener's own follow-up does: a failure there is only logged. */
    private static <T> void notify(String consumer, Outcome<T> outcome, Consumer<Outcome<T>> committed) {
        try {
            committed.accept(outcome);
        } catch (RuntimeException e) {
            log.warn(
                    "{}: after event {} was committed: {}",
                    consumer,
                    outcome.event().eventId(),
                    e.toString(),
                    e);
        }
    }

    /** Polls whose one transaction failed, so that their records were applied one transaction each. */
    public Counter fallbacks(String consumer) {
        return Counter.builder("events.consumer.batch.fallbacks")
                .tag("consumer", consumer)
                .description("Polls whose transaction failed and whose records were applied one by one")
                .register(meters);
    }

    private static <T> Outcome<T> withoutEffect(OrderEvent event) {
        return new Outcome<>(event, false, null);
    }

    /** Deliveries of events a consumer had applied already. */
    public Counter duplicates(String consumer) {
        return Counter.builder("events.duplicates.skipped")
                .tag("consumer", consumer)
                .description("Deliveries of events already applied")
                .register(meters);
    }
}
