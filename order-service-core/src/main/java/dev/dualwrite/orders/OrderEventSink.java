package dev.dualwrite.orders;

import dev.dualwrite.events.OrderEvent;

/**
 * Where an order service puts the event of a change: the one thing each pattern's service does its own way, and the
 * bean each order-service-* module supplies. Called inside the change's transaction, so the reliable patterns write
 * a row ({@link EventTable}) that commits or rolls back with the order; the naive service sends to Kafka instead.
 */
public interface OrderEventSink {

    void append(OrderEvent event);
}
