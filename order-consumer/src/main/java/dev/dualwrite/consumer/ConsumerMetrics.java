package dev.dualwrite.consumer;

import dev.dualwrite.consuming.IdempotentConsumer;
import dev.dualwrite.events.Pattern;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * {@code consumer.events.applied{pattern}}, {@code events.duplicates.skipped{consumer}} and the end-to-end latency
 * {@code consumer.end.to.end.latency{pattern}} (applied − occurredAt) as a histogram with p50/p95/p99.
 */
@Component
class ConsumerMetrics {

    private final MeterRegistry meters;
    private final Counter duplicates;

    ConsumerMetrics(MeterRegistry meters, IdempotentConsumer idempotent) {
        this.meters = meters;
        this.duplicates = idempotent.duplicates(OrderEventsListener.CONSUMER);
    }

    void applied(Pattern pattern, Duration endToEnd) {
        Counter.builder("consumer.events.applied")
                .tag("pattern", pattern.name())
                .description("Events applied to consumed_orders")
                .register(meters)
                .increment();
        latency(pattern).record(endToEnd.isNegative() ? Duration.ZERO : endToEnd);
    }

    double duplicatesSkipped() {
        return duplicates.count();
    }

    double deadLettered(Pattern pattern) {
        return Search.in(meters).name("events.dead.lettered").tag("topic", pattern.topic()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    Timer latency(Pattern pattern) {
        return Timer.builder("consumer.end.to.end.latency")
                .tag("pattern", pattern.name())
                .description("Event occurred (order committed) to applied downstream")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(meters);
    }
}
