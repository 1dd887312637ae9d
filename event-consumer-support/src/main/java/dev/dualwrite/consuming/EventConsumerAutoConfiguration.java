package dev.dualwrite.consuming;

import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * For every consumer of order events: spring-kafka's {@link DefaultErrorHandler} retries a failing record with
 * exponential backoff, then its {@link DeadLetterPublishingRecoverer} publishes it, bytes unchanged and with the
 * failure in its headers, to {@code <topic>.DLT} (same partition) and the partition moves on. Records that can never
 * succeed ({@link InvalidEventException}) skip the retries. Boot's listener container factory picks the handler up.
 * The idempotency table is kept to its retention ({@link IdempotencyRetention}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties({ConsumerErrorProperties.class, IdempotencyRetention.Properties.class})
@EnableScheduling
public class EventConsumerAutoConfiguration {

    @Bean
    OrderEventReader orderEventReader(JsonMapper json) {
        return new OrderEventReader(json);
    }

    /** Replaceable (the consistency lab's mutants replace it); a production application never does. */
    @Bean
    @ConditionalOnMissingBean
    ProcessedEvents processedEvents(JdbcClient jdbc) {
        return new ProcessedEvents(jdbc);
    }

    @Bean
    IdempotencyRetention idempotencyRetention(ProcessedEvents processed, IdempotencyRetention.Properties properties) {
        return new IdempotencyRetention(processed, properties);
    }

    @Bean
    IdempotentConsumer idempotentConsumer(
            OrderEventReader reader,
            ProcessedEvents processed,
            PlatformTransactionManager transactionManager,
            ObjectProvider<ConsumerObserver> observer,
            MeterRegistry meters,
            ObjectProvider<EventTracing> tracing) {
        return new IdempotentConsumer(
                reader,
                processed,
                new TransactionTemplate(transactionManager),
                observer.getIfAvailable(() -> ConsumerObserver.NONE),
                meters,
                tracing.getIfAvailable(() -> EventTracing.NOOP));
    }

    @Bean
    DeadLetterPublishing deadLetterPublishing(KafkaProperties kafka) {
        return new DeadLetterPublishing(kafka.buildProducerProperties());
    }

    @Bean
    CommonErrorHandler deadLetteringErrorHandler(
            DeadLetterPublishing deadLetterPublishing, ConsumerErrorProperties properties, MeterRegistry meters) {
        DeadLetterPublishingRecoverer deadLetters = deadLetterPublishing.recoverer();
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(properties.retries());
        backOff.setInitialInterval(properties.initialInterval().toMillis());
        backOff.setMaxInterval(properties.maxInterval().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> {
                    deadLetters.accept(record, failed(failure));
                    Counter.builder("events.dead.lettered")
                            .description("Records published to <topic>.DLT after their retries")
                            .tag("topic", record.topic())
                            .register(meters)
                            .increment();
                },
                backOff);
        handler.addNotRetryableExceptions(InvalidEventException.class);
        return handler;
    }

    /**
     * What the dead letter's headers name: the reason a batch listener wrapped in a
     * {@link BatchListenerFailedException} (which only says which record), as a record listener's would.
     */
    static Exception failed(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BatchListenerFailedException batch && batch.getCause() instanceof Exception reason) {
                return reason;
            }
        }
        return failure;
    }
}
