package dev.dualwrite.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.tracing.CloudEventHeaders;
import dev.dualwrite.tracing.EventTracing;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One round of the relay, in one database transaction: claim a batch, send it in order, wait for Kafka's
 * acknowledgement (acks=all, idempotent producer), mark the acknowledged rows published, commit. A crash anywhere
 * before the commit leaves the rows unpublished, so they are sent again: a duplicate on the topic (consumers
 * deduplicate by event id), never a loss.
 *
 * <p>A failed send is judged by {@link FailureClass}: Kafka unavailable or a systemic refusal ends the round with
 * {@link RoundFailed} after what Kafka did acknowledge is marked, and counts against no row. A row that fails on its
 * own while Kafka takes other records gets an attempt counted and its own retry time, and is parked after
 * {@code maxAttempts} attempts over at least {@code parkAfter}. Rows whose partition has no leader are held back
 * briefly and not sent at all: one unavailable partition delays only its own records.
 *
 * <p>Each record continues the trace its row kept (the request that wrote it): a span for the row's wait (created →
 * claimed) and a producer span for the send (→ acknowledged, or failed) whose context goes on the record as
 * {@code traceparent}. A row sent again after a crash is a second send span in the same trace. Each record also
 * carries the CloudEvents attributes ({@link CloudEventHeaders}) beside {@code id} and {@code eventType}.
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

    /**
     * What a round did: rows claimed, and those Kafka acknowledged (and the round marked published); whether more may
     * be eligible at once (a full batch, or a published row with a later event of its order behind it); whether it
     * gave rows a retry time (held back, or failed on their own).
     */
    record Result(int claimed, List<PendingEvent> acknowledged, boolean more, boolean retrying) {
        static final Result EMPTY = new Result(0, List.of(), false, false);

        Result(List<PendingEvent> batch, int limit, List<PendingEvent> acknowledged, boolean retrying) {
            this(
                    batch.size(),
                    acknowledged,
                    batch.size() >= limit || acknowledged.stream().anyMatch(PendingEvent::followed),
                    retrying);
        }
    }

    private final RelayProperties properties;
    private final OutboxRepository repository;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate transaction;
    private final RelayMetrics metrics;
    private final BatchObserver observer;
    private final EventTracing tracing;
    private final String source;
    private final String waitSpan;
    private final String sendSpan;
    private final Sharing sharing;

    /**
     * What the rounds of one relay share when several run at once ({@code relay.rounds-in-flight}): the producer,
     * which a round uses under the read lock and the main round replaces under the write lock, so that no other round
     * is sending on it while it closes and only one round replaces it; and whom to tell when a round has claimed a full
     * batch (before it sends: more rows are likely waiting).
     */
    record Sharing(ReadWriteLock producer, boolean replacesProducer, Runnable onFullClaim) {

        /** A round that runs alone. */
        static Sharing alone() {
            return new Sharing(new ReentrantReadWriteLock(), true, () -> {});
        }
    }

    /** Sends of the current round the producer neither acknowledged nor failed by its deadline (the relay's thread). */
    private int unanswered;

    RelayRound(
            RelayProperties properties,
            OutboxRepository repository,
            KafkaTemplate<String, String> kafka,
            TransactionTemplate transaction,
            RelayMetrics metrics,
            BatchObserver observer,
            EventTracing tracing,
            Sharing sharing) {
        this.sharing = sharing;
        this.properties = properties;
        this.repository = repository;
        this.kafka = kafka;
        this.transaction = transaction;
        this.metrics = metrics;
        this.observer = observer;
        this.tracing = tracing;
        this.source = properties.pattern() != null ? properties.pattern().service() : properties.table();
        this.waitSpan = properties.table() + " wait";
        this.sendSpan = properties.topic() + " send";
    }

    /** @throws RoundFailed after the commit, when Kafka or the topic failed as a whole */
    Result run() {
        unanswered = 0;
        Outcome outcome;
        Lock sending = sharing.producer().readLock();
        try {
            sending.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another round replaced the producer", e);
        }
        try {
            outcome = transaction.execute(status -> round());
        } finally {
            sending.unlock();
            // after the commit (or the rollback): the rows' locks are not held while the old producer closes
            if (unanswered > 0) {
                if (sharing.replacesProducer()) {
                    replaceProducer();
                } else {
                    log.warn(
                            "{} send(s) to {} neither acknowledged nor failed within {}; the relay's main round"
                                    + " replaces the producer when its own sends stop answering too",
                            unanswered,
                            properties.topic(),
                            properties.sendTimeout());
                }
            }
        }
        outcome.result().acknowledged().forEach(metrics::published);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.result();
    }

    /**
     * The producer fails every send it cannot deliver within its delivery.timeout.ms, and the relay's send timeout is
     * longer (by default), so a send still unanswered at the round's deadline means the producer stopped working and
     * would never answer again: its network thread died (kafka-clients 4.1 can overflow its stack completing a batch
     * split and resent thousands of times against a topic's size limit, KAFKA-8202), or it is wedged. The next round gets a
     * new one. The old one is closed first, waiting out what it still sends, so that its copies come before the next
     * round's; the close runs on a thread of its own, as Kafka's close waits without end on a network thread that
     * neither dies nor answers, and the relay goes on after the factory's close timeout whatever happened. Under the
     * write lock: another round in flight finishes with the old producer first (its sends meet the same fate), and no
     * round starts until the new one is there.
     */
    private void replaceProducer() {
        Lock replacing = sharing.producer().writeLock();
        try {
            replacing.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            closeProducer();
        } finally {
            replacing.unlock();
        }
    }

    private void closeProducer() {
        log.warn(
                "{} send(s) to {} neither acknowledged nor failed within {}: the producer no longer answers;"
                        + " closing it, the next round starts a new one",
                unanswered,
                properties.topic(),
                properties.sendTimeout());
        metrics.producerReplaced();
        ProducerFactory<String, String> producers = kafka.getProducerFactory();
        Thread closing = new Thread(producers::reset, "relay-close-producer-" + properties.table());
        closing.setDaemon(true);
        closing.start();
        Duration patience = (producers instanceof DefaultKafkaProducerFactory<?, ?> factory
                        ? factory.getPhysicalCloseTimeout()
                        : Duration.ofSeconds(30))
                .plusSeconds(1);
        try {
            closing.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            log.warn(
                    "The old producer of {} did not close within {}; going on with a new one",
                    properties.topic(),
                    patience);
        }
    }

    private record Outcome(Result result, RoundFailed failure) {}

    private Outcome round() {
        List<PendingEvent> batch = repository.claim(properties.batchSize());
        if (batch.isEmpty()) {
            return new Outcome(Result.EMPTY, null);
        }
        if (batch.size() >= properties.batchSize()) {
            sharing.onFullClaim().run();
        }
        Instant claimedAt = Instant.now();
        List<PartitionInfo> partitions;
        try {
            partitions = kafka.partitionsFor(properties.topic());
        } catch (RuntimeException e) {
            return new Outcome(
                    new Result(batch, properties.batchSize(), List.of(), false),
                    new RoundFailed(
                            FailureClass.of(e) == FailureClass.KAFKA_UNAVAILABLE
                                    ? FailureClass.KAFKA_UNAVAILABLE
                                    : FailureClass.SYSTEMIC,
                            rootCause(e).toString(),
                            0));
        }
        boolean[] leaderless = new boolean[partitions.size()];
        partitions.forEach(info -> leaderless[info.partition()] = info.leader() == null);
        List<PendingEvent> toSend = new ArrayList<>(batch.size());
        List<Integer> partitionOf = new ArrayList<>(batch.size());
        List<PendingEvent> heldBack = new ArrayList<>();
        for (PendingEvent event : batch) {
            int partition = partitionFor(event.aggregateId(), partitions.size());
            if (leaderless[partition]) {
                heldBack.add(event);
            } else {
                toSend.add(event);
                partitionOf.add(partition);
            }
        }
        if (toSend.isEmpty()) {
            return new Outcome(
                    new Result(batch, properties.batchSize(), List.of(), false),
                    new RoundFailed(
                            FailureClass.KAFKA_UNAVAILABLE,
                            "no partition of " + properties.topic() + " that this round needed has a leader",
                            0));
        }

        List<CompletableFuture<?>> sends = sendUntilKafkaRefuses(toSend, partitionOf, claimedAt);
        List<PendingEvent> acknowledged = new ArrayList<>(toSend.size());
        List<PendingEvent> unavailable = new ArrayList<>();
        Map<PendingEvent, Throwable> refused = new LinkedHashMap<>();
        String unavailableReason = "Kafka refused to take records";
        Throwable systemic = null;
        long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
        for (int i = 0; i < toSend.size(); i++) {
            PendingEvent event = toSend.get(i);
            if (i >= sends.size()) {
                unavailable.add(event);
                continue;
            }
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(event);
            } catch (TimeoutException e) {
                unavailable.add(event);
                unanswered++;
                unavailableReason = "no acknowledgement within " + properties.sendTimeout();
            } catch (ExecutionException e) {
                Throwable cause = rootCause(e);
                switch (FailureClass.of(e)) {
                    case KAFKA_UNAVAILABLE -> {
                        unavailable.add(event);
                        unavailableReason = cause.toString();
                    }
                    case SYSTEMIC -> systemic = cause;
                    case ROW -> refused.put(event, cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
        if (!acknowledged.isEmpty()) {
            observer.acknowledgedNotYetMarked(acknowledged);
        }
        repository.markPublished(ids(acknowledged));

        boolean flowing = !acknowledged.isEmpty();
        String systemicReason = systemic == null ? null : systemic.toString();
        Instant lastPublished = refused.isEmpty() || flowing ? null : repository.lastPublished();
        boolean retrying = false;
        for (Map.Entry<PendingEvent, Throwable> entry : refused.entrySet()) {
            PendingEvent event = entry.getKey();
            if (systemic == null && (flowing || publishedSinceLastFailure(event, lastPublished))) {
                rowFailed(event, entry.getValue());
                retrying = true;
            } else if (systemicReason == null) {
                systemicReason = "Kafka took none of the records it was given, all refused alike: " + entry.getValue();
            }
        }
        if (flowing) {
            heldBack.addAll(unavailable);
        }
        if (!heldBack.isEmpty()) {
            repository.defer(ids(heldBack), properties.retryInitial());
            metrics.heldBack(heldBack.size());
        }
        Result result = new Result(batch, properties.batchSize(), acknowledged, retrying || !heldBack.isEmpty());
        if (systemicReason != null) {
            return new Outcome(result, new RoundFailed(FailureClass.SYSTEMIC, systemicReason, acknowledged.size()));
        }
        if (!flowing && !unavailable.isEmpty()) {
            return new Outcome(
                    result, new RoundFailed(FailureClass.KAFKA_UNAVAILABLE, unavailableReason, acknowledged.size()));
        }
        return new Outcome(result, null);
    }

    /**
     * The evidence that a refusal is the row's when nothing else went through in this round: a relay marked another
     * row published after this one last failed (both stamped with the clock at the moment, not the round's start).
     */
    private static boolean publishedSinceLastFailure(PendingEvent event, Instant lastPublished) {
        return event.lastFailedAt() != null && lastPublished != null && lastPublished.isAfter(event.lastFailedAt());
    }

    /**
     * The partition Kafka's default partitioner picks for the key (murmur2 of its bytes), computed here so that the
     * round knows before sending which partitions it needs and whether each has a leader.
     */
    static int partitionFor(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(UTF_8), partitions);
    }

    private static List<UUID> ids(List<PendingEvent> events) {
        return events.stream().map(PendingEvent::id).toList();
    }

    /**
     * Sends the batch in order. A send that fails at once because Kafka is unreachable (no metadata within
     * max.block.ms) stops the round: the rest of the batch would only wait the same time each.
     */
    private List<CompletableFuture<?>> sendUntilKafkaRefuses(
            List<PendingEvent> batch, List<Integer> partitions, Instant claimedAt) {
        List<CompletableFuture<?>> sends = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (sends.size() == batch.size() / 2) {
                observer.halfSent(batch);
            }
            CompletableFuture<?> send = send(batch.get(i), partitions.get(i), claimedAt);
            sends.add(send);
            if (send.isCompletedExceptionally()
                    && FailureClass.of(rootCause(
                                    send.handle((result, failure) -> failure).join()))
                            == FailureClass.KAFKA_UNAVAILABLE) {
                break;
            }
        }
        return sends;
    }

    private CompletableFuture<?> send(PendingEvent event, int partition, Instant claimedAt) {
        String id = event.id().toString();
        ProducerRecord<String, String> record =
                new ProducerRecord<>(properties.topic(), partition, event.aggregateId(), event.payload());
        record.headers().add(new RecordHeader(OrderEvent.ID_HEADER, id.getBytes(UTF_8)));
        record.headers()
                .add(new RecordHeader(OrderEvent.EVENT_TYPE_HEADER, event.type().getBytes(UTF_8)));
        CloudEventHeaders.add(record.headers(), id, event.type(), source, event.aggregateId(), event.createdAt());
        Span publish = traced(event, id, record, claimedAt);
        CompletableFuture<?> send;
        try {
            send = kafka.send(record);
        } catch (RuntimeException e) {
            send = CompletableFuture.failedFuture(e);
        }
        if (publish != null) {
            send.whenComplete((acknowledged, failure) -> {
                if (failure != null) {
                    // the reason, not a stack trace: this runs on the producer's network thread
                    publish.tag("error", failure.toString());
                }
                publish.end();
            });
        }
        return send;
    }

    /**
     * The row's wait as a span (when the row kept a trace to belong to), and the started send span whose context goes
     * on the record as its traceparent; null if tracing failed: a trace context never stops an event.
     */
    private Span traced(PendingEvent event, String id, ProducerRecord<String, String> record, Instant claimedAt) {
        try {
            if (EventTracing.hasContext(event.traceContext())) {
                Span wait = tracing.childOfColumn(event.traceContext())
                        .name(waitSpan)
                        .startTimestamp(micros(event.createdAt()), TimeUnit.MICROSECONDS)
                        .start();
                if (!wait.isNoop()) {
                    wait.tag("event.id", id);
                }
                wait.end(micros(claimedAt), TimeUnit.MICROSECONDS);
            }
            Span publish = tracing.childOfColumn(event.traceContext())
                    .name(sendSpan)
                    .kind(Span.Kind.PRODUCER)
                    .start();
            if (!publish.isNoop()) {
                publish.remoteServiceName("kafka")
                        .tag("messaging.system", "kafka")
                        .tag("messaging.destination.name", properties.topic())
                        .tag("event.id", id)
                        .tag("event.type", event.type());
            }
            tracing.inject(publish, record.headers());
            return publish;
        } catch (RuntimeException e) {
            log.warn("Event {} goes out without its trace: {}", id, e.toString());
            return null;
        }
    }

    private static long micros(Instant instant) {
        return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1_000;
    }

    private void rowFailed(PendingEvent event, Throwable cause) {
        boolean parked = repository.recordFailure(event.id(), cause.toString(), properties);
        metrics.failed();
        if (parked) {
            metrics.parked();
            log.error(
                    "Parked event {} of order {}: it failed on its own at least {} times over at least {}: {}",
                    event.id(),
                    event.aggregateId(),
                    properties.maxAttempts(),
                    properties.parkAfter(),
                    cause.toString());
        } else {
            log.warn(
                    "Event {} of order {} failed on its own, will retry (the order's later events wait): {}",
                    event.id(),
                    event.aggregateId(),
                    cause.toString());
        }
    }

    private static Throwable rootCause(Throwable throwable) {
        Throwable cause = throwable;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Kafka or the topic failed as a whole ({@link FailureClass#KAFKA_UNAVAILABLE} or {@link FailureClass#SYSTEMIC}):
     * what it acknowledged is marked, the rest stays for the next round, no row is blamed.
     */
    static final class RoundFailed extends RuntimeException {
        final FailureClass failure;
        final int acknowledged;

        RoundFailed(FailureClass failure, String message, int acknowledged) {
            super(message);
            this.failure = failure;
            this.acknowledged = acknowledged;
        }
    }
}
