package dev.dualwrite.outbox;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.EventTable;
import dev.dualwrite.orders.OrderEventSink;
import dev.dualwrite.orders.OrdersProperties;
import dev.dualwrite.orders.RelayWakeUp;
import dev.dualwrite.tracing.EventTracing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: an order service whose events are rows of outbox_events, written in the order's
 * transaction, so they commit or roll back with the order. Both instances of outbox-poller relay the rows to Kafka;
 * nothing here talks to Kafka.
 */
@SpringBootApplication
public class OrderServiceOutboxApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceOutboxApplication.class, args);
    }

    @Bean
    OrderEventSink outboxEvents(JdbcClient jdbc, JsonMapper json, EventTracing tracing, RelayWakeUp relayWakeUp) {
        return new EventTable(jdbc, json, tracing, Pattern.TRANSACTIONAL_OUTBOX.eventTable(), relayWakeUp);
    }

    @Bean
    RelayWakeUp relayWakeUp(JdbcClient jdbc, OrdersProperties properties) {
        return new RelayWakeUp(jdbc, Pattern.TRANSACTIONAL_OUTBOX.eventTable(), properties.relayWakeUpInterval());
    }
}
