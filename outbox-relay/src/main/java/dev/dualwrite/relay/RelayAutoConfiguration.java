package dev.dualwrite.relay;

import dev.dualwrite.tracing.EventTracing;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A relay of {@code relay.pattern}'s event table to its topic (or from {@code relay.table} to {@code relay.topic}); an
 * application gets one by setting either. Two
 * extension points, for tests and the consistency lab (never set in production): a {@link BatchObserver} bean, and an
 * {@link OutboxRepository} bean of its own.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"
        })
@Conditional(RelayAutoConfiguration.RelayConfigured.class)
@EnableConfigurationProperties(RelayProperties.class)
@EnableScheduling
public class RelayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxRepository outboxRepository(JdbcClient jdbc, RelayProperties properties) {
        return new OutboxRepository(jdbc, properties.table());
    }

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry, RelayProperties properties, OutboxRepository repository) {
        return new RelayMetrics(registry, properties, repository);
    }

    @Bean
    OutboxRelay outboxRelay(
            RelayProperties properties,
            OutboxRepository repository,
            KafkaProperties kafka,
            PlatformTransactionManager transactionManager,
            RelayMetrics metrics,
            ObjectProvider<BatchObserver> observer,
            ObjectProvider<EventTracing> tracing) {
        // The relay owns its producer (spring.kafka.producer.* still apply): an application may configure its own
        // serializers for other purposes without touching the relay.
        return new OutboxRelay(
                properties,
                repository,
                new DefaultKafkaProducerFactory<>(kafka.buildProducerProperties()),
                new TransactionTemplate(transactionManager),
                metrics,
                observer.getIfAvailable(() -> BatchObserver.NONE),
                tracing.getIfAvailable(() -> EventTracing.NOOP));
    }

    @Bean
    RelayNotifications relayNotifications(
            DataSource dataSource, RelayProperties properties, OutboxRelay relay, MeterRegistry registry) {
        return new RelayNotifications(dataSource, properties.table(), relay, properties.pollInterval(), registry);
    }

    @Bean
    RelayRetention relayRetention(RelayProperties properties, OutboxRepository repository) {
        return new RelayRetention(properties, repository);
    }

    @Bean
    RelayHealthIndicator relayHealthIndicator(
            RelayProperties properties, OutboxRelay relay, OutboxRepository repository) {
        return new RelayHealthIndicator(properties, relay, repository);
    }

    @Bean
    ParkedEventsController parkedEventsController(OutboxRepository repository, OutboxRelay relay) {
        return new ParkedEventsController(repository, relay);
    }

    /** {@code relay.pattern} or {@code relay.table} is set. */
    public static class RelayConfigured extends AnyNestedCondition {

        RelayConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("relay.pattern")
        static class ByPattern {}

        @ConditionalOnProperty("relay.table")
        static class ByTable {}
    }
}
