package dev.dualwrite.lab;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the system produced for one writer of one run, as read back after the run: the database, the topic from
 * the beginning, the dead-letter topic, the lab's effect log, the downstream view, and the relay rows parked (given up
 * on) for the run's orders.
 */
record Evidence(
        List<CommittedOrder> committed,
        List<TopicRecord> topic,
        List<DeadLetter> deadLetters,
        List<Effect> effects,
        Map<UUID, Downstream> downstream,
        int parked) {

    /** An order as the database has it. */
    record CommittedOrder(UUID id, String customerId, String status, int version) {}

    /** A record on the writer's topic whose payload names a customer of the run (parsed as far as it goes). */
    record TopicRecord(
            String key,
            UUID eventId,
            UUID orderId,
            int version,
            String eventType,
            String status,
            String customerId,
            int partition,
            long offset) {}

    /** A record on the writer's dead-letter topic, with the reason spring-kafka's recoverer put in its headers. */
    record DeadLetter(String key, UUID eventId, String reason, int partition, long offset) {}

    /** One row of the lab's append-only effect log: a consumer applied this event's effect once. */
    record Effect(String consumer, UUID eventId) {}

    /** order-consumer's view of an order. */
    record Downstream(UUID orderId, String status, int version, int eventsApplied) {}
}
