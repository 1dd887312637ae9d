package dev.dualwrite.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** DOWN while Kafka keeps refusing batches; UP otherwise, with the backlog and the parked rows as details. */
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
        Health.Builder builder = relay.consecutiveKafkaFailures() >= FAILURES_BEFORE_DOWN ? Health.down() : Health.up();
        builder.withDetail("table", properties.table())
                .withDetail("topic", properties.topic())
                .withDetail("backlog", repository.backlog())
                .withDetail("parked", repository.parkedCount())
                .withDetail("consecutiveKafkaFailures", relay.consecutiveKafkaFailures());
        if (relay.lastKafkaError() != null) {
            builder.withDetail("lastKafkaError", relay.lastKafkaError());
        }
        return builder.build();
    }
}
