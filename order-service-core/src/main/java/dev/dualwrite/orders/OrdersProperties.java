package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pattern the pattern an order service's orders and events carry; it sees only its own orders. What the pattern
 *                does differently is its module's {@link OrderEventSink} (and, for listen to yourself, its
 *                {@link ClientConfirmation}), not a property.
 * @param relayWakeUpInterval for a service whose event table a relay polls: at most one {@link RelayWakeUp} NOTIFY per
 *                this interval under load (at once after a quiet spell)
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        Pattern pattern, @DefaultValue("5ms") Duration relayWakeUpInterval) {

    public OrdersProperties {
        if (pattern == null) {
            throw new IllegalArgumentException("orders.pattern is required");
        }
    }
}
