package dev.dualwrite.events;

/** What happened to an order; the {@code eventType} header and field carry its name. */
public enum EventType {
    OrderCreated,
    OrderConfirmed,
    OrderCancelled
}
