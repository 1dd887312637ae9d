package dev.dualwrite.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dualwrite.events.OrderEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One round of the relay, in one database transaction: claim a batch, send it in order, wait for Kafka's
 * acknowledgement (acks=all, idempotent producer), mark the acknowledged rows published, commit. A crash anywhere
 * before the commit leaves the rows unpublished, so they are sent again: a duplicate on the topic (consumers
 * deduplicate by event id), never a loss.
 *
 * <p>Kafka failing as a whole (a retriable error, a timeout) ends the round with {@link KafkaUnavailable} after what
 * it did acknowledge is marked, and counts against no row. A row that fails on its own (too large, say) gets an attempt
 * counted, and is parked after {@code maxAttempts}.
 */
final class RelayRound {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /**
     * A row is marked published only after all in-sync replicas have the record, and producer retries never
     * duplicate or reorder within a partition; keys and values are the order id and the JSON payload as text.
     */
    static final Map<String, Object> GUARANTEES = Map.of(
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);

    /** What a round did: rows claimed, and those Kafka acknowledged (and the round marked published). */
    record Result(int claimed, List<PendingEvent> acknowledged) {
        static final Result EMPTY = new Result(0, List.of());
    }

    private final RelayProperties properties;
    private final OutboxRepository repository;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate transaction;
    private final RelayMetrics metrics;
    private final BatchObserver observer;

    RelayRound(
            RelayProperties properties,
            OutboxRepository repository,
            KafkaTemplate<String, String> kafka,
            TransactionTemplate transaction,
            RelayMetrics metrics,
            BatchObserver observer) {
        this.properties = properties;
        this.repository = repository;
        this.kafka = kafka;
        this.transaction = transaction;
        this.metrics = metrics;
        this.observer = observer;
    }

    /** @throws KafkaUnavailable after the commit, when Kafka did not take the whole batch */
    Result run() {
        Outcome outcome = transaction.execute(status -> {
            List<PendingEvent> batch = repository.claim(properties.batchSize());
            if (batch.isEmpty()) {
                return new Outcome(Result.EMPTY, null);
            }
            List<CompletableFuture<?>> sends = sendUntilKafkaRefuses(batch);
            List<PendingEvent> acknowledged = new ArrayList<>(batch.size());
            String kafkaError = sends.size() < batch.size() ? "Kafka refused to take records" : null;
            long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
            for (int i = 0; i < sends.size(); i++) {
                PendingEvent event = batch.get(i);
                try {
                    sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    acknowledged.add(event);
                } catch (TimeoutException e) {
                    kafkaError = "no acknowledgement within " + properties.sendTimeout();
                } catch (ExecutionException e) {
                    Throwable cause = rootCause(e);
                    if (isKafkaUnavailable(cause)) {
                        kafkaError = cause.toString();
                    } else {
                        rowFailed(event, cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
            if (!acknowledged.isEmpty()) {
                observer.acknowledgedNotYetMarked(acknowledged);
            }
            repository.markPublished(acknowledged.stream().map(PendingEvent::id).toList());
            return new Outcome(new Result(batch.size(), acknowledged), kafkaError);
        });
        outcome.result().acknowledged().forEach(metrics::published);
        if (outcome.kafkaError() != null) {
            throw new KafkaUnavailable(
                    outcome.kafkaError(), outcome.result().acknowledged().size());
        }
        return outcome.result();
    }

    private record Outcome(Result result, String kafkaError) {}

    /**
     * Sends the batch in order. A send that fails at once because Kafka is unreachable (no metadata within
     * max.block.ms) stops the round: the rest of the batch would only wait the same time each.
     */
    private List<CompletableFuture<?>> sendUntilKafkaRefuses(List<PendingEvent> batch) {
        List<CompletableFuture<?>> sends = new ArrayList<>(batch.size());
        for (PendingEvent event : batch) {
            if (sends.size() == batch.size() / 2) {
                observer.halfSent(batch);
            }
            CompletableFuture<?> send = send(event);
            sends.add(send);
            if (send.isCompletedExceptionally()
                    && isKafkaUnavailable(
                            rootCause(send.handle((result, failure) -> failure).join()))) {
                break;
            }
        }
        return sends;
    }

    private CompletableFuture<?> send(PendingEvent event) {
        ProducerRecord<String, String> record =
                new ProducerRecord<>(properties.topic(), event.aggregateId(), event.payload());
        record.headers()
                .add(new RecordHeader(
                        OrderEvent.ID_HEADER, event.id().toString().getBytes(UTF_8)));
        record.headers()
                .add(new RecordHeader(OrderEvent.EVENT_TYPE_HEADER, event.type().getBytes(UTF_8)));
        try {
            return kafka.send(record);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void rowFailed(PendingEvent event, Throwable cause) {
        boolean parked = repository.recordFailure(event.id(), cause.toString(), properties.maxAttempts());
        metrics.failed();
        if (parked) {
            metrics.parked();
            log.error(
                    "Parked event {} of order {} after {} attempts: {}",
                    event.id(),
                    event.aggregateId(),
                    properties.maxAttempts(),
                    cause.toString());
        } else {
            log.warn("Event {} of order {} failed, will retry: {}", event.id(), event.aggregateId(), cause.toString());
        }
    }

    private static boolean isKafkaUnavailable(Throwable cause) {
        return cause instanceof RetriableException || cause instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    private static Throwable rootCause(Throwable throwable) {
        Throwable cause = throwable;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Kafka did not take (part of) the batch: what it acknowledged is marked, the rest stays for the next round. */
    static final class KafkaUnavailable extends RuntimeException {
        final int acknowledged;

        KafkaUnavailable(String message, int acknowledged) {
            super(message);
            this.acknowledged = acknowledged;
        }
    }
}
