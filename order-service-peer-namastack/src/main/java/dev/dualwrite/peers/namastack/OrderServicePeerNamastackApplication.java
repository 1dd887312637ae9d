package dev.dualwrite.peers.namastack;

import dev.dualwrite.orders.OrderEventSink;
import io.namastack.outbox.Outbox;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A peer (docs/peers.md): our order API with its events handed to namastack-outbox. {@link Outbox#schedule} writes an
 * outbox_record row in the order's transaction, keyed by the order id (namastack keeps the records of one key in
 * order); the library's scheduler, in every instance of this service, hands each record to
 * {@link KafkaPublishingHandler}, which sends it to orders.peer-namastack.
 */
@SpringBootApplication
public class OrderServicePeerNamastackApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderServicePeerNamastackApplication.class, args);
    }

    @Bean
    OrderEventSink namastackOutbox(Outbox outbox) {
        return event -> outbox.schedule(event, event.orderId().toString());
    }
}
