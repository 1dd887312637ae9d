package dev.dualwrite.orders;

import java.util.Set;

/** PENDING → CONFIRMED; PENDING or CONFIRMED → CANCELLED. */
public enum OrderStatus {
    PENDING,
    CONFIRMED,
    CANCELLED;

    /** The statuses an order may leave for this one: none for PENDING, where every order starts. */
    Set<OrderStatus> reachableFrom() {
        return switch (this) {
            case PENDING -> Set.of();
            case CONFIRMED -> Set.of(PENDING);
            case CANCELLED -> Set.of(PENDING, CONFIRMED);
        };
    }
}
