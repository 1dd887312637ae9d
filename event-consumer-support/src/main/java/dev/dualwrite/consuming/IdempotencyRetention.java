package dev.dualwrite.consuming;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes idempotency records older than the retention, in bounded batches, so that processed_events does not grow
 * forever. A duplicate arrives within seconds of its original (a relay's resend, a redelivery after a rebalance); one
 * older than the retention — a consumer group reset to the topic's start — is no longer recognised here, and is
 * caught by the effect's own guard (order-consumer applies only newer versions; listen to yourself confirms only a
 * pending order).
 */
public class IdempotencyRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRetention.class);

    private final ProcessedEvents processed;
    private final Properties properties;

    public IdempotencyRetention(ProcessedEvents processed, Properties properties) {
        this.processed = processed;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::deleteExpired, properties.cleanupInterval());
    }

    /** Returns the number of records deleted. */
    public int deleteExpired() {
        Instant cutoff = Instant.now().minus(properties.retention());
        int total = 0;
        int deleted;
        do {
            deleted = processed.deleteProcessedBefore(cutoff, properties.cleanupBatchSize());
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        if (total > 0) {
            log.info("Deleted {} idempotency records processed before {}", total, cutoff);
        }
        return total;
    }

    /**
     * @param retention        how long a processed event is remembered (longer than any redelivery can lag)
     * @param cleanupInterval  how often expired records are deleted
     * @param cleanupBatchSize records deleted per statement
     */
    @ConfigurationProperties("events.consumer.idempotency")
    public record Properties(
            @DefaultValue("7d") Duration retention,
            @DefaultValue("10m") Duration cleanupInterval,
            @DefaultValue("5000") int cleanupBatchSize) {}
}
