package dev.dualwrite.relay;

import java.time.Instant;
import java.util.UUID;

/** A row that kept failing and waits for a person: the order's later events wait behind it. */
public record ParkedEvent(
        UUID id,
        String aggregateId,
        String type,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant parkedAt) {}
