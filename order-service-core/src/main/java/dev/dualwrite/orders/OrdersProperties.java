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
 *                produce request, a mark and a commit whatever the rows, then a fetch and a transaction downstream — so
 *                the interval decides how many orders share one: at 20 ms two shared one at 100/s; at 50 ms five do, for
 *                at most 50 ms more on the way of an order that came during the pause (Kafka's linger.ms, one hop
 *                earlier). Measured at 100 orders/s on the outbox (README, Benchmarks, "Batching windows"): 20 → 50
 *                ms took the CPU per order of the whole suite from 8.85 to 7.17 ms; 100 ms bought nothing more.
 */
@ConfigurationProperties("orders")
public record OrdersProperties(
        Pattern pattern, @DefaultValue("50ms") Duration relayWakeUpInterval) {

    public OrdersProperties {
        if (pattern == null) {
            throw new IllegalArgumentException("orders.pattern is required");
        }
    }
}
