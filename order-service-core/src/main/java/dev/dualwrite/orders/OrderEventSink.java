package dev.dualwrite.orders;

import dev.dualwrite.events.OrderEvent;

/**
 * Where an order service puts the event of a change. Called inside the change's transaction. The reliable patterns
 * write a row ({@link EventTable}) that commits or rolls back with the order; the lab's naive service does not.
 */
public interface OrderEventSink {

    void append(OrderEvent event);
}
