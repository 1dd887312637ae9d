package dev.dualwrite.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Relays one outbox table to one Kafka topic, in a loop on its own thread. Each round, in one database transaction:
 * claim a batch, send it, wait for Kafka's acknowledgement (acks=all, idempotent producer), mark the acknowledged rows
 * published, commit. A crash anywhere before the commit leaves the rows unpublished, so they are sent again: a
 * duplicate on the topic (consumers deduplicate by event id), never a loss.
 *
 * <p>Kafka failing as a whole (a retriable error, a timeout) pauses the relay with exponential backoff and counts
 * against no row. A row that fails on its own (too large, say) gets an attempt counted, and is parked after
 * {@code maxAttempts}.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final RelayProperties properties;
    private final OutboxRepository repository;
    /**
     * A row is marked published only after all in-sync replicas have the record, and producer retries never
     * duplicate or reorder within a partition; keys and values are the order id and the JSON payload as text.
     */
    static final Map<String, Object> GUARANTEES = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);

    private final DefaultKafkaProducerFactory<String, String> producers;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate transaction;
    private final RelayMetrics metrics;
    private final BatchObserver observer;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private volatile int consecutiveKafkaFailures;
    private volatile String lastKafkaError;
    private Thread worker;

    /**
     * @param producers the relay's own producer factory, closed when the relay stops; the relay forces the settings
     *                  its guarantee rests on (see {@link #GUARANTEES})
     */
    public OutboxRelay(RelayProperties properties, OutboxRepository repository,
                       DefaultKafkaProducerFactory<String, String> producers,
                       TransactionTemplate transaction, RelayMetrics metrics, BatchObserver observer) {
        this.properties = properties;
        this.repository = repository;
        this.producers = producers;
        producers.updateConfigs(GUARANTEES);
        this.kafka = new KafkaTemplate<>(producers);
        this.transaction = transaction;
        this.metrics = metrics;
        this.observer = observer;
    }

    /** Called when new rows were committed (PostgreSQL NOTIFY): the relay looks at once instead of at the next poll. */
    public void wakeUp() {
        wakeUps.release();
    }

    int consecutiveKafkaFailures() {
        return consecutiveKafkaFailures;
    }

    String lastKafkaError() {
        return lastKafkaError;
    }

    /** One round: claim, send, await acknowledgement, mark. Returns the number of rows claimed. */
    public int relayBatch() {
        return relayRound().claimed();
    }

    private Round relayRound() {
        Round round = transaction.execute(status -> {
            List<PendingEvent> batch = repository.claim(properties.batchSize());
            if (batch.isEmpty()) {
                return Round.EMPTY;
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
            return new Round(batch.size(), acknowledged, kafkaError);
        });
        round.acknowledged().forEach(metrics::published);
        if (round.kafkaError() != null) {
            throw new KafkaUnavailable(round.kafkaError(), round.acknowledged().size());
        }
        consecutiveKafkaFailures = 0;
        return round;
    }

    private static boolean isKafkaUnavailable(Throwable cause) {
        return cause instanceof RetriableException || cause instanceof org.apache.kafka.common.errors.TimeoutException;
    }

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
            if (send.isCompletedExceptionally() && isKafkaUnavailable(rootCause(send.handle((result, failure) -> failure).join()))) {
                break;
            }
        }
        return sends;
    }

    private CompletableFuture<?> send(PendingEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(properties.topic(), event.aggregateId(), event.payload());
        record.headers().add(new RecordHeader("id", event.id().toString().getBytes(UTF_8)));
        record.headers().add(new RecordHeader("eventType", event.type().getBytes(UTF_8)));
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
            log.error("Parked event {} of order {} after {} attempts: {}", event.id(), event.aggregateId(),
                    properties.maxAttempts(), cause.toString());
        } else {
            log.warn("Event {} of order {} failed, will retry: {}", event.id(), event.aggregateId(), cause.toString());
        }
    }

    /**
     * Rounds follow each other at once while there is work: publishing an event can make the same order's next event
     * eligible, and NOTIFY only announces new rows. The relay waits for a notification (or the poll interval) only
     * when a round found nothing, and backs off when a round could publish nothing.
     */
    private void loop() {
        Duration backoff = properties.backoffInitial();
        while (running) {
            try {
                Round round = relayRound();
                if (round.claimed() == 0) {
                    backoff = properties.backoffInitial();
                    awaitWork(properties.pollInterval());
                } else if (round.acknowledged().isEmpty()) {
                    awaitBackoff(backoff);
                    backoff = min(backoff.multipliedBy(2), properties.backoffMax());
                } else {
                    backoff = properties.backoffInitial();
                }
            } catch (KafkaUnavailable e) {
                consecutiveKafkaFailures++;
                lastKafkaError = e.getMessage();
                log.warn("Kafka unavailable ({} acknowledged, rest kept for retry in {} ms): {}",
                        e.acknowledged, backoff.toMillis(), e.getMessage());
                awaitBackoff(backoff);
                backoff = min(backoff.multipliedBy(2), properties.backoffMax());
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Relay round failed, retrying in {} ms: {}", backoff.toMillis(), e.toString());
                awaitBackoff(backoff);
                backoff = min(backoff.multipliedBy(2), properties.backoffMax());
            }
        }
    }

    private void awaitWork(Duration timeout) {
        try {
            if (wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitBackoff(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Throwable rootCause(Throwable throwable) {
        Throwable cause = throwable;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public synchronized void start() {
        running = true;
        worker = new Thread(this::loop, "relay-" + properties.table());
        worker.start();
        log.info("Relaying {} to {} (batch {}, poll {})", properties.table(), properties.topic(),
                properties.batchSize(), properties.pollInterval());
    }

    /**
     * Stops at once: a round in flight is interrupted and rolls back, its rows stay unpublished for the next relay
     * (at worst a duplicate on the topic). Waiting out a slow Kafka here would only delay the shutdown.
     */
    @Override
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        producers.destroy();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Round(int claimed, List<PendingEvent> acknowledged, String kafkaError) {
        static final Round EMPTY = new Round(0, List.of(), null);
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
