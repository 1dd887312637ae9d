package dev.dualwrite.lab;

import java.util.UUID;

/** What the verifier needs of one record on a pattern topic. */
record TopicRecord(String key, UUID eventId, UUID orderId, int version, String eventType, String customerId,
                   int partition, long offset) {
}
