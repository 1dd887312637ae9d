package dev.dualwrite.peers.modulith;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.OrderEventSink;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.converter.ByteArrayJacksonJsonMessageConverter;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.json.JsonMapper;

/**
 * A peer (docs/peers.md): our order API with its events published as Spring application events in the order's
 * transaction. Spring Modulith's event publication registry writes an event_publication row for the Kafka
 * externalizer in that transaction; after the commit the externalizer sends the event to orders.peer-modulith and
 * marks the publication completed once the broker acknowledged it. {@link Resubmission} resubmits what failed or went
 * stale, as Modulith leaves to the application.
 */
@SpringBootApplication
@EnableScheduling
public class OrderServicePeerModulithApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServicePeerModulithApplication.class, args);
    }

    @Bean
    OrderEventSink applicationEvents(ApplicationEventPublisher events) {
        return events::publishEvent;
    }

    /** Every OrderEvent to the peer's topic, keyed by its order, with the contract's headers. */
    @Bean
    EventExternalizationConfiguration externalization() {
        return EventExternalizationConfiguration.externalizing()
                .select(event -> event instanceof OrderEvent)
                .route(
                        OrderEvent.class,
                        event -> RoutingTarget.forTarget(Pattern.PEER_MODULITH.topic())
                                .andKey(event.orderId().toString()))
                .headers(
                        OrderEvent.class,
                        event -> Map.of(
                                ContractHeaders.EVENT_ID,
                                event.eventId().toString(),
                                OrderEvent.EVENT_TYPE_HEADER,
                                event.eventType().name()))
                .build();
    }

    /**
     * Modulith's own JSON converter for the externalized value (it would register the same one), with the contract's
     * headers written by {@link ContractHeaders}.
     */
    @Bean
    ByteArrayJacksonJsonMessageConverter kafkaMessageConverter(JsonMapper json) {
        ByteArrayJacksonJsonMessageConverter converter = new ByteArrayJacksonJsonMessageConverter(json);
        converter.setHeaderMapper(new ContractHeaders());
        return converter;
    }
}
