package dev.dualwrite.consumer;

import dev.dualwrite.events.Pattern;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/consumed-orders/{id}} and {@code GET /api/stats}. */
@RestController
class ConsumedOrderController {

    private final ConsumedOrders consumedOrders;
    private final ConsumerMetrics metrics;

    ConsumedOrderController(ConsumedOrders consumedOrders, ConsumerMetrics metrics) {
        this.consumedOrders = consumedOrders;
        this.metrics = metrics;
    }

    @GetMapping("/api/consumed-orders/{id}")
    ConsumedOrder consumedOrder(@PathVariable UUID id) {
        return consumedOrders
                .find(id)
                .orElseThrow(() -> new ErrorResponseException(
                        HttpStatus.NOT_FOUND,
                        ProblemDetail.forStatusAndDetail(
                                HttpStatus.NOT_FOUND, "No event of order " + id + " was applied"),
                        null));
    }

    /**
     * Orders and events applied per pattern (from the table), and since this instance started: duplicates skipped,
     * dead letters per pattern, end-to-end latency p50/p99 per pattern.
     */
    @GetMapping("/api/stats")
    Map<String, Object> stats() {
        Map<String, Object> patterns = new LinkedHashMap<>();
        for (Pattern pattern : Pattern.values()) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("orders", 0L);
            stats.put("eventsApplied", 0L);
            stats.put("deadLettered", (long) metrics.deadLettered(pattern));
            ValueAtPercentile[] percentiles =
                    metrics.latency(pattern).takeSnapshot().percentileValues();
            for (ValueAtPercentile percentile : percentiles) {
                String name = percentile.percentile() == 0.5
                        ? "latencyP50Ms"
                        : percentile.percentile() == 0.99 ? "latencyP99Ms" : null;
                if (name != null) {
                    stats.put(name, Math.round(percentile.value(TimeUnit.MILLISECONDS) * 10) / 10.0);
                }
            }
            patterns.put(pattern.name(), stats);
        }
        consumedOrders.countsPerPattern().forEach(count -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> stats = (Map<String, Object>) patterns.get(count.pattern());
            stats.put("orders", count.orders());
            stats.put("eventsApplied", count.events());
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("patterns", patterns);
        body.put("duplicatesSkipped", (long) metrics.duplicatesSkipped());
        return body;
    }
}
