package dev.dualwrite.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The value of every record on every order topic, identical for all patterns.
 * The record key is {@link #orderId()}; the headers {@code id} and {@code eventType} repeat {@link #eventId()} and
 * {@link #eventType()} so that consumers can deduplicate and route without parsing the value.
 *
 * @param version the order's version after the change: per order, consumers see 1, 2, 3… in order
 */
public record OrderEvent(
        UUID eventId,
        EventType eventType,
        UUID orderId,
        Pattern pattern,
        int version,
        Instant occurredAt,
        OrderSnapshot order) {

    public static final String ID_HEADER = "id";
    public static final String EVENT_TYPE_HEADER = "eventType";

    /** The order as it is after the change. */
    public record OrderSnapshot(
            UUID id, String customerId, String status, String currency, BigDecimal totalAmount, List<Item> items) {}

    public record Item(String sku, int quantity, BigDecimal unitPrice) {}
}
