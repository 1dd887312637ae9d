package dev.dualwrite.lty;

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
 * Listen to yourself: an order service whose events are rows of lty_events, written in the order's transaction and
 * relayed by lty-poller; it hears them back ({@link OwnEventsListener}) and confirms its orders itself
 * ({@link SelfConfirmation}), writing the confirmation's event in the listener's transaction.
 */
@SpringBootApplication
public class OrderServiceListenToYourselfApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServiceListenToYourselfApplication.class, args);
    }

    @Bean
    OrderEventSink ownEvents(JdbcClient jdbc, JsonMapper json, EventTracing tracing, RelayWakeUp relayWakeUp) {
        return new EventTable(jdbc, json, tracing, Pattern.LISTEN_TO_YOURSELF.eventTable(), relayWakeUp);
    }

    @Bean
    RelayWakeUp relayWakeUp(JdbcClient jdbc, OrdersProperties properties) {
        return new RelayWakeUp(jdbc, Pattern.LISTEN_TO_YOURSELF.eventTable(), properties.relayWakeUpInterval());
    }
}
