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
 *                this interval under load (at once after a quiet spell). Each wake-up is a relay round — a claim, a
 *                produce request, a mark and a commit whatever the rows — so the interval decides how many orders share
 *                one: at 5 ms every order of a 100/s load had a round of its own; at 20 ms two share one at 100/s, six
 *                at 300/s, for at most 20 ms more on the way of an order that came during the pause.
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        Pattern pattern, @DefaultValue("20ms") Duration relayWakeUpInterval) {

    public OrdersProperties {
        if (pattern == null) {
            throw new IllegalArgumentException("orders.pattern is required");
        }
    }
}
