package dev.dualwrite.console.live;

import dev.dualwrite.console.workload.Workload;
import java.util.List;

/**
 * One second of the whole system, as the page draws it. A null figure is one nobody could read this second (its
 * process is down) or one that does not apply to the route (the naive write has no backlog).
 */
public record Snapshot(
        long at,
        List<WriterState> writers,
        List<ComponentState> components,
        Long duplicatesSkipped,
        Workload.State workload,
        boolean faults) {

    /** One process of the suite or of the infrastructure. */
    public record ComponentState(String name, String kind, boolean up) {}

    /**
     * One writer's route, from its service to order-consumer.
     *
     * @param route               how its events reach Kafka: "relay", "log tailing" or "direct"
     * @param ordersPerSecond     orders created (201) per second by its service
     * @param eventsPerSecond     records added to its topic per second (the broker's end offsets)
     * @param appliedPerSecond    events applied per second by order-consumer
     * @param backlog             events written and not yet published (relays), or null
     * @param oldestPendingSeconds the age of the oldest of them
     * @param parked              events the relays gave up on until an operator redrives them
     * @param deadLetters         records in the topic's dead-letter topic
     * @param consumerLag         records of the topic order-consumer has not committed yet
     * @param p50Ms               commit → applied downstream, from order-consumer's histogram over the last 30 s
     * @param walRetainedBytes    log tailing: WAL PostgreSQL keeps for the slot
     * @param walUnconfirmedBytes log tailing: WAL the connector has not confirmed yet, its backlog
     */
    public record WriterState(
            String pattern,
            String label,
            String route,
            String service,
            String eventTable,
            String topic,
            List<String> relays,
            Double ordersPerSecond,
            Double eventsPerSecond,
            Double appliedPerSecond,
            Long backlog,
            Double oldestPendingSeconds,
            Long parked,
            Long deadLetters,
            Long consumerLag,
            Double p50Ms,
            Double p99Ms,
            Long walRetainedBytes,
            Long walUnconfirmedBytes,
            String connectorState,
            String taskState) {}
}
