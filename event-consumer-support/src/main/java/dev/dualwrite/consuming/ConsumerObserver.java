package dev.dualwrite.consuming;

import dev.dualwrite.events.OrderEvent;

/**
 * Hooks around one consumer's handling of one event, the consumers' counterpart of the relay's BatchObserver: none in
 * production; the consistency lab (its lab-hooks module, under the "lab" profile only) records every applied effect in
 * an append-only log and halts the JVM between the effect's commit and the offset commit.
 */
public interface ConsumerObserver {

    ConsumerObserver NONE = new ConsumerObserver() {};

    /** Inside the effect's transaction, after the effect: rolls back with it. Not called for a duplicate. */
    default void applied(String consumer, OrderEvent event) {}

    /** After the transaction committed (or found a duplicate), before the listener returns and the offset is committed. */
    default void committed(String consumer, OrderEvent event) {}
}
