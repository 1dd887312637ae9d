package dev.dualwrite.consumer;

import java.time.Instant;
import java.util.UUID;

/** The downstream view of one order: what order-consumer has applied of its events. */
public record ConsumedOrder(
        UUID orderId,
        String pattern,
        String status,
        int version,
        int eventsApplied,
        UUID lastEventId,
        Instant lastEventOccurredAt,
        Instant appliedAt) {}
