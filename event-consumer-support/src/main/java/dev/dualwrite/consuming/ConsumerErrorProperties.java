package dev.dualwrite.consuming;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retries of a failing record before it is dead-lettered.
 *
 * @param retries         retries after the first failure
 * @param initialInterval first pause, doubled on every retry up to {@code maxInterval}
 */
@ConfigurationProperties("events.consumer.errors")
public record ConsumerErrorProperties(
        @DefaultValue("4") int retries,
        @DefaultValue("200ms") Duration initialInterval,
        @DefaultValue("2s") Duration maxInterval) {}
