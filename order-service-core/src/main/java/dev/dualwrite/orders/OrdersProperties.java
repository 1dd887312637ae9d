package dev.dualwrite.orders;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.dualwrite.events.Pattern;

/**
 * What makes an order service one pattern rather than another.
 *
 * @param pattern                the pattern its orders and events carry; it sees only its own orders
 * @param eventTable             the table its events are written to, in the order's transaction (unless the
 *                               application brings its own {@link OrderEventSink})
 * @param deleteEventAfterInsert delete the event row again in the same transaction (log tailing: the WAL keeps the
 *                               insert for Debezium, the table stays empty)
 * @param clientConfirmation     whether clients may confirm orders (listen to yourself: the service confirms them)
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        Pattern pattern,
        String eventTable,
        @DefaultValue("false") boolean deleteEventAfterInsert,
        @DefaultValue("true") boolean clientConfirmation) {

    public OrdersProperties {
        if (pattern == null) {
            throw new IllegalArgumentException("orders.pattern is required");
        }
    }
}
