package dev.dualwrite.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The relay's meters, tagged with its table and topic: {@code relay.backlog}, {@code relay.oldest.pending.age},
 * {@code relay.parked} (gauges read from the table), {@code relay.published}, {@code relay.failed} (a row's own
 * failures), {@code relay.held.back}, {@code relay.parkings}, {@code relay.round.failures} (tag {@code class}:
 * {@code KAFKA_UNAVAILABLE} or {@code SYSTEMIC}), {@code relay.producer.replacements} (counters) and
 * {@code relay.publish.latency} (row created → Kafka acknowledged).
 */
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter published;
    private final Counter failed;
    private final Counter heldBack;
    private final Counter parkings;
    private final Counter producerReplacements;
    private final Timer latency;

    public RelayMetrics(MeterRegistry registry, RelayProperties properties, OutboxRepository repository) {
        this.registry = registry;
        this.tags = Tags.of("table", properties.table(), "topic", properties.topic());
        Gauge.builder("relay.backlog", repository, OutboxRepository::backlog)
                .description("Unpublished rows waiting for the relay (parked rows excluded)")
                .tags(tags)
                .register(registry);
        Gauge.builder("relay.oldest.pending.age", repository, OutboxRepository::oldestPendingAgeSeconds)
                .description("Age of the oldest unpublished row")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry);
        Gauge.builder("relay.parked", repository, OutboxRepository::parkedCount)
                .description("Rows parked after repeated failures, waiting to be re-driven")
                .tags(tags)
                .register(registry);
        published = Counter.builder("relay.published")
                .description("Events acknowledged by Kafka and marked published")
                .tags(tags)
                .register(registry);
        failed = Counter.builder("relay.failed")
                .description("Failed attempts of single rows")
                .tags(tags)
                .register(registry);
        for (FailureClass failure : List.of(FailureClass.KAFKA_UNAVAILABLE, FailureClass.SYSTEMIC)) {
            roundFailures(failure); // exported from the start, so that an alert has a series before the first one
        }
        heldBack = Counter.builder("relay.held.back")
                .description("Rows held back briefly, no attempt counted: their partition had no leader or timed out"
                        + " while other records were acknowledged")
                .tags(tags)
                .register(registry);
        parkings = Counter.builder("relay.parkings")
                .description("Rows parked")
                .tags(tags)
                .register(registry);
        producerReplacements = Counter.builder("relay.producer.replacements")
                .description("Producers closed and replaced because sends went neither acknowledged nor failed within"
                        + " the send timeout")
                .tags(tags)
                .register(registry);
        latency = Timer.builder("relay.publish.latency")
                .description("Row created to Kafka acknowledged")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .tags(tags)
                .register(registry);
    }

    void published(PendingEvent event) {
        published.increment();
        latency.record(Duration.between(event.createdAt(), Instant.now()));
    }

    /** A round that failed as a whole, by {@link FailureClass}: counted, never charged to a row. */
    void roundFailed(FailureClass failure) {
        roundFailures(failure).increment();
    }

    private Counter roundFailures(FailureClass failure) {
        return Counter.builder("relay.round.failures")
                .description("Rounds in which Kafka or the topic failed as a whole")
                .tags(tags.and("class", failure.name()))
                .register(registry);
    }

    void heldBack(int rows) {
        heldBack.increment(rows);
    }

    void failed() {
        failed.increment();
    }

    void parked() {
        parkings.increment();
    }

    void producerReplaced() {
        producerReplacements.increment();
    }
}
