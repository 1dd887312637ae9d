package dev.dualwrite.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN at once while Kafka refuses the topic as a whole ({@link FailureClass#SYSTEMIC}: an ACL, a topic limit below
 * every record), and after a few rounds in a row of Kafka being unavailable; UP otherwise. The backlog and the parked
 * rows are details.
 */
public class RelayHealthIndicator implements HealthIndicator {

    private static final int FAILURES_BEFORE_DOWN = 3;

    private final RelayProperties properties;
    private final OutboxRelay relay;
    private final OutboxRepository repository;

    public RelayHealthIndicator(RelayProperties properties, OutboxRelay relay, OutboxRepository repository) {
        this.properties = properties;
        this.relay = relay;
        this.repository = repository;
    }

    @Override
    public Health health() {
        RelayRound.RoundFailed failure = relay.lastFailure();
        boolean down = failure != null
                && (failure.failure == FailureClass.SYSTEMIC || relay.consecutiveFailures() >= FAILURES_BEFORE_DOWN);
        Health.Builder builder = down ? Health.down() : Health.up();
        builder.withDetail("table", properties.table())
                .withDetail("topic", properties.topic())
                .withDetail("backlog", repository.backlog())
                .withDetail("parked", repository.parkedCount())
                .withDetail("consecutiveFailures", relay.consecutiveFailures());
        if (failure != null) {
            builder.withDetail("failure", failure.failure.name()).withDetail("reason", failure.getMessage());
        }
        return builder.build();
    }
}
