package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param pattern the pattern an order service's orders and events carry; it sees only its own orders. What the pattern
 *                does differently is its module's {@link OrderEventSink} (and, for listen to yourself, its
 *                {@link ClientConfirmation}), not a property.
 */
@ConfigurationProperties("orders")
public record OrdersProperties(Pattern pattern) {

    public OrdersProperties {
        if (pattern == null) {
            throw new IllegalArgumentException("orders.pattern is required");
        }
    }
}
