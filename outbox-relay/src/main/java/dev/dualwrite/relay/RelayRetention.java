package dev.dualwrite.relay;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Deletes published rows older than the retention, in bounded batches so no statement holds locks for long. */
public class RelayRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RelayRetention.class);

    private final RelayProperties properties;
    private final OutboxRepository repository;

    public RelayRetention(RelayProperties properties, OutboxRepository repository) {
        this.properties = properties;
        this.repository = repository;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::deleteExpired, properties.cleanupInterval());
    }

    /** Returns the number of rows deleted. */
    public int deleteExpired() {
        Instant cutoff = Instant.now().minus(properties.retention());
        int total = 0;
        int deleted;
        do {
            deleted = repository.deletePublishedBefore(cutoff, properties.cleanupBatchSize());
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        if (total > 0) {
            log.info("Deleted {} rows of {} published before {}", total, properties.table(), cutoff);
        }
        return total;
    }
}
