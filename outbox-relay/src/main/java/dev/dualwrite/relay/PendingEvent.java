package dev.dualwrite.relay;

import java.time.Instant;
import java.util.UUID;

/**
 * An outbox row claimed for publishing: the record's key is the aggregate (order) id, its value the payload.
 *
 * @param lastFailedAt when the row last failed on its own, or null
 * @param followed     a later event of the same order was waiting behind this one when it was claimed: publishing
 *                     this one makes that one eligible, and no NOTIFY will announce it
 * @param traceContext the trace the event belongs to (the row's tracingspancontext), or null
 */
public record PendingEvent(
        UUID id,
        String aggregateId,
        String type,
        String payload,
        Instant createdAt,
        Instant lastFailedAt,
        boolean followed,
        String traceContext) {

    /** This event with another trace context. */
    public PendingEvent withTraceContext(String context) {
        return new PendingEvent(id, aggregateId, type, payload, createdAt, lastFailedAt, followed, context);
    }
}
