package dev.dualwrite.labhooks;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deliberately broken variants of our own code, which {@code ./lab.sh mutants} switches on to show that each detector of
 * the lab's verdict fires: the process is started with {@code lab.mutants} (environment LAB_MUTANTS) naming them, so a
 * process the lab restarts after a crash is the same mutant. None unless named.
 */
public class Mutants {

    /** A relay that commits the rows as published when it claims them, before Kafka has them. */
    public static final String RELAY_MARKS_BEFORE_ACK = "relay-marks-before-ack";
    /** A relay that claims any unpublished row, not only the earliest of its order, and holds it a random while. */
    public static final String RELAY_IGNORES_ORDER_IN_FLIGHT = "relay-ignores-order-in-flight";
    /** A consumer whose idempotency table lets every delivery through. */
    public static final String CONSUMER_SKIPS_IDEMPOTENCY = "consumer-skips-idempotency";
    /** An order service that writes the event row in its own transaction after the order committed. */
    public static final String EVENT_ROW_AFTER_COMMIT = "event-row-after-commit";
    /** An order service that loses an update: a second writer's event for the same version (a cancel beside a confirm). */
    public static final String LOST_UPDATE = "lost-update";

    public static final List<String> NAMES = List.of(
            RELAY_MARKS_BEFORE_ACK,
            RELAY_IGNORES_ORDER_IN_FLIGHT,
            CONSUMER_SKIPS_IDEMPOTENCY,
            EVENT_ROW_AFTER_COMMIT,
            LOST_UPDATE);

    private final Set<String> active;

    Mutants(List<String> names) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("lab.mutants: no mutant " + name + "; known: " + NAMES);
            }
        }
        this.active = Set.copyOf(names);
    }

    public boolean active(String name) {
        return active.contains(name);
    }

    Set<String> active() {
        return new TreeSet<>(active);
    }
}
