package dev.dualwrite.relay;

import java.util.List;

/**
 * Hooks at the moments where a relay can duplicate but must never lose: halfway through sending a batch, and Kafka
 * having acknowledged the batch while its rows are not marked published yet. Tests throw here; the consistency lab
 * (its lab-hooks module, under the "lab" profile only) halts the JVM here.
 */
@FunctionalInterface
public interface BatchObserver {

    BatchObserver NONE = acknowledged -> {};

    void acknowledgedNotYetMarked(List<PendingEvent> acknowledged);

    /**
     * Called once per batch, before the record at index {@code size / 2} is handed to the producer: the first half is
     * on its way, the rest is not. For a batch of one row that is before its only send.
     */
    default void halfSent(List<PendingEvent> batch) {}
}
