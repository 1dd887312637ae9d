package dev.dualwrite.labhooks;

import dev.dualwrite.consuming.ConsumerObserver;
import dev.dualwrite.consuming.ProcessedEvents;
import dev.dualwrite.relay.BatchObserver;
import dev.dualwrite.relay.OutboxRepository;
import dev.dualwrite.relay.RelayProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The lab's hooks, only under the "lab" profile, each plugged into the extension point of the library the application
 * has: a relay, an event consumer, an order service. Runs before those libraries' auto-configurations so that their
 * replaceable beans ({@link OutboxRepository}, {@link ProcessedEvents}) are ours.
 */
@AutoConfiguration(
        beforeName = {
            "dev.dualwrite.relay.RelayAutoConfiguration",
            "dev.dualwrite.consuming.EventConsumerAutoConfiguration",
            "dev.dualwrite.orders.OrderServiceAutoConfiguration"
        })
@Profile("lab")
public class LabHooksAutoConfiguration {

    @Bean
    Failpoints labFailpoints() {
        return new Failpoints();
    }

    @Bean
    Mutants labMutants(Environment environment) {
        return new Mutants(List.of(environment.getProperty("lab.mutants", String[].class, new String[0])));
    }

    @Bean
    LabController labController(Failpoints failpoints, Mutants mutants) {
        return new LabController(failpoints, mutants);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.dualwrite.relay.OutboxRelay")
    @Conditional(RelayConfigured.class)
    static class Relay {

        @Bean
        BatchObserver labBatchObserver(Failpoints failpoints) {
            return RelayHooks.observer(failpoints);
        }

        @Bean
        OutboxRepository labOutboxRepository(
                JdbcClient jdbc, RelayProperties relay, Mutants mutants, PlatformTransactionManager transactions) {
            return new RelayHooks.MutableOutboxRepository(jdbc, relay.table(), mutants, transactions);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.dualwrite.consuming.IdempotentConsumer")
    static class Consumer {

        @Bean
        ConsumerObserver labConsumerObserver(JdbcClient jdbc, Failpoints failpoints) {
            return ConsumerHooks.observer(jdbc, failpoints);
        }

        @Bean
        ProcessedEvents labProcessedEvents(JdbcClient jdbc, Mutants mutants) {
            return new ConsumerHooks.MutableProcessedEvents(jdbc, mutants);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.dualwrite.orders.OrderEventSink")
    static class OrderService {

        @Bean
        static BeanPostProcessor labEventSinks(
                ObjectProvider<Failpoints> failpoints,
                ObjectProvider<Mutants> mutants,
                ObjectProvider<PlatformTransactionManager> transactions) {
            return OrderServiceHooks.wrapSinks(failpoints, mutants, transactions);
        }
    }

    /** A peer's Kafka producer: the failpoint between the broker's acknowledgement and the library's record of it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer")
    @ConditionalOnExpression("'${orders.pattern:}'.startsWith('PEER_')")
    static class Peer {

        @Bean
        DefaultKafkaProducerFactoryCustomizer labAckFailpoint(Failpoints failpoints) {
            return PeerHooks.ackFailpoint(failpoints);
        }
    }

    /**
     * The relay's own activation condition ({@code relay.pattern} or {@code relay.table}), written again here because
     * a condition class must load in every application, and the relay library is on the pollers' class path only.
     */
    static class RelayConfigured extends AnyNestedCondition {

        RelayConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("relay.pattern")
        static class ByPattern {}

        @ConditionalOnProperty("relay.table")
        static class ByTable {}
    }
}
