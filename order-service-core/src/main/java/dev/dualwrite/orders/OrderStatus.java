package dev.dualwrite.orders;

/** PENDING → CONFIRMED; PENDING or CONFIRMED → CANCELLED. */
public enum OrderStatus {
    PENDING,
    CONFIRMED,
    CANCELLED
}
