package dev.dualwrite.console.explore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One order's whole way: the order and its lines, its events in its pattern's table, the records on its topic and
 * what order-consumer made of them.
 */
record OrderJourney(
        Order order,
        List<Item> items,
        String eventTable,
        List<EventRow> events,
        String topic,
        List<TopicRecord> records,
        Downstream downstream) {

    record Order(
            UUID id,
            String pattern,
            String customerId,
            String status,
            String currency,
            BigDecimal totalAmount,
            int version,
            Instant createdAt,
            Instant updatedAt) {}

    record Item(int lineNo, String sku, int quantity, BigDecimal unitPrice) {}

    /** A row of the event table; published/parked are null while they have not happened. */
    record EventRow(
            UUID id,
            String type,
            long position,
            Instant createdAt,
            Instant publishedAt,
            int attempts,
            String lastError,
            Instant parkedAt,
            String traceContext) {}

    /** A record as the broker holds it; header values decoded as text where they are text. */
    record TopicRecord(
            String topic,
            int partition,
            long offset,
            Instant timestamp,
            String key,
            Map<String, String> headers,
            String value) {}

    record Downstream(
            String status,
            int version,
            int eventsApplied,
            UUID lastEventId,
            Instant lastEventOccurredAt,
            Instant appliedAt) {}
}
