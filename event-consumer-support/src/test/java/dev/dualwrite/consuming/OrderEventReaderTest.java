package dev.dualwrite.consuming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OrderEventReaderTest {

    private final JsonMapper json = JsonMapper.builder().findAndAddModules().build();
    private final OrderEventReader reader = new OrderEventReader(json);

    private final UUID orderId = UUID.randomUUID();
    private final OrderEvent event = new OrderEvent(
            UUID.randomUUID(),
            EventType.OrderConfirmed,
            orderId,
            Pattern.TRANSACTIONAL_OUTBOX,
            2,
            Instant.parse("2026-11-29T10:00:00.123456Z"),
            new OrderEvent.OrderSnapshot(
                    orderId,
                    "c-1",
                    "CONFIRMED",
                    "EUR",
                    new BigDecimal("25.00"),
                    List.of(new OrderEvent.Item("book", 2, new BigDecimal("12.50")))));

    private ConsumerRecord<String, byte[]> record(String key, byte[] value, String id, String type) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders.transactional-outbox", 0, 0L, key, value);
        if (id != null) {
            record.headers().add(OrderEvent.ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
        }
        if (type != null) {
            record.headers().add(OrderEvent.EVENT_TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private ConsumerRecord<String, byte[]> valid() {
        return record(
                orderId.toString(),
                json.writeValueAsBytes(event),
                event.eventId().toString(),
                "OrderConfirmed");
    }

    @Test
    void readsTheEventOfARecordAsTheRelaysAndDebeziumWriteIt() {
        assertThat(reader.read(valid())).isEqualTo(event);
    }

    @Test
    void refusesARecordWithoutItsHeaders() {
        byte[] value = json.writeValueAsBytes(event);

        assertThatThrownBy(() -> reader.read(record(orderId.toString(), value, null, "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no 'id' header");
        assertThatThrownBy(() -> reader.read(
                        record(orderId.toString(), value, event.eventId().toString(), null)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no 'eventType' header");
    }

    @Test
    void refusesAValueThatIsNotJsonOrNotAnOrderEvent() {
        String id = event.eventId().toString();

        assertThatThrownBy(() -> reader.read(
                        record(orderId.toString(), "not json".getBytes(StandardCharsets.UTF_8), id, "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not an order event");
        assertThatThrownBy(() -> reader.read(record(
                        orderId.toString(),
                        "{\"eventId\":\"%s\",\"version\":1}".formatted(id).getBytes(StandardCharsets.UTF_8),
                        id,
                        "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("lacks required fields");
        assertThatThrownBy(() -> reader.read(record(orderId.toString(), null, id, "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no value");
    }

    @Test
    void refusesHeadersThatDisagreeWithTheValue() {
        byte[] value = json.writeValueAsBytes(event);

        assertThatThrownBy(() -> reader.read(
                        record(orderId.toString(), value, UUID.randomUUID().toString(), "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("do not match");
        assertThatThrownBy(() -> reader.read(
                        record(orderId.toString(), value, event.eventId().toString(), "OrderCancelled")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("do not match");
        assertThatThrownBy(() -> reader.read(record(orderId.toString(), value, "not-a-uuid", "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not a UUID");
    }

    @Test
    void refusesAKeyThatIsNotTheOrderId() {
        byte[] value = json.writeValueAsBytes(event);

        assertThatThrownBy(() -> reader.read(record(
                        UUID.randomUUID().toString(), value, event.eventId().toString(), "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("is not the order id");
        assertThatThrownBy(() -> reader.read(record(null, value, event.eventId().toString(), "OrderConfirmed")))
                .isInstanceOf(InvalidEventException.class);
    }
}
