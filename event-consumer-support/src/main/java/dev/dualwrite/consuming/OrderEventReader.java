package dev.dualwrite.consuming;

import dev.dualwrite.events.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a record of an order topic into an {@link OrderEvent}, and refuses anything the contract does not allow:
 * missing headers, a value that is not the event record, headers and value that disagree, a key that is not the order.
 */
public class OrderEventReader {

    private final JsonMapper json;

    public OrderEventReader(JsonMapper json) {
        this.json = json;
    }

    public OrderEvent read(ConsumerRecord<String, byte[]> record) {
        String idHeader = header(record, OrderEvent.ID_HEADER);
        String typeHeader = header(record, OrderEvent.EVENT_TYPE_HEADER);
        if (record.value() == null) {
            throw new InvalidEventException("record has no value");
        }
        OrderEvent event;
        try {
            event = json.readValue(record.value(), OrderEvent.class);
        } catch (JacksonException e) {
            throw new InvalidEventException("value is not an order event: " + e.getOriginalMessage(), e);
        }
        if (event.eventId() == null
                || event.eventType() == null
                || event.orderId() == null
                || event.pattern() == null
                || event.version() < 1
                || event.occurredAt() == null
                || event.order() == null) {
            throw new InvalidEventException("order event lacks required fields: " + event);
        }
        if (!event.eventId().equals(parseUuid(idHeader))
                || !event.eventType().name().equals(typeHeader)) {
            throw new InvalidEventException("headers id=%s eventType=%s do not match the value (%s %s)"
                    .formatted(idHeader, typeHeader, event.eventId(), event.eventType()));
        }
        if (!event.orderId().toString().equals(record.key())) {
            throw new InvalidEventException("key %s is not the order id %s".formatted(record.key(), event.orderId()));
        }
        return event;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            throw new InvalidEventException("record has no '" + name + "' header");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("header id is not a UUID: " + value, e);
        }
    }
}
