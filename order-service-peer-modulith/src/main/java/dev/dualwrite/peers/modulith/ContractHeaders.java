package dev.dualwrite.peers.modulith;

import dev.dualwrite.events.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.support.KafkaHeaderMapper;
import org.springframework.messaging.MessageHeaders;

/**
 * The one adaptation Modulith's externalization needs for the contract: it sends a Spring {@code Message}, whose
 * {@code id} header is the message's own random id (Spring Messaging reserves the name, and spring-kafka's mappers
 * never put it on a record), so the event id travels as {@link #EVENT_ID} and is written here as the record's
 * {@code id}. Header values are plain UTF-8, as the contract's consumers read them; nothing else of the message (its
 * timestamp, Spring's JSON type headers) goes on the record.
 */
class ContractHeaders implements KafkaHeaderMapper {

    static final String EVENT_ID = "eventId";

    @Override
    public void fromHeaders(MessageHeaders headers, Headers target) {
        put(target, OrderEvent.ID_HEADER, headers.get(EVENT_ID));
        put(target, OrderEvent.EVENT_TYPE_HEADER, headers.get(OrderEvent.EVENT_TYPE_HEADER));
    }

    private static void put(Headers target, String name, Object value) {
        if (value != null) {
            target.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void toHeaders(Headers source, Map<String, Object> target) {
        for (Header header : source) {
            target.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
    }
}
