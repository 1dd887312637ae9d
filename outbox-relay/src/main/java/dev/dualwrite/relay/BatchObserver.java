package dev.dualwrite.relay;

import java.util.List;

/**
 * A hook at the one moment where a relay can duplicate but must never lose: Kafka has acknowledged the batch, and the
 * rows are not marked published yet. The consistency lab's failpoints halt the JVM here; tests throw here.
 */
@FunctionalInterface
public interface BatchObserver {

    BatchObserver NONE = acknowledged -> { };

    void acknowledgedNotYetMarked(List<PendingEvent> acknowledged);
}
