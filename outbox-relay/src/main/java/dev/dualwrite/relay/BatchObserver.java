package dev.dualwrite.relay;

import java.util.List;

/**
 * Hooks at the moments where a relay can duplicate but must never lose: half a batch sent, and Kafka having
 * acknowledged the batch while its rows are not marked published yet. The consistency lab's failpoints halt the JVM
 * here; tests throw here.
 */
@FunctionalInterface
public interface BatchObserver {

    BatchObserver NONE = acknowledged -> { };

    void acknowledgedNotYetMarked(List<PendingEvent> acknowledged);

    default void halfSent(List<PendingEvent> batch) {
    }
}
