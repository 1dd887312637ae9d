package dev.dualwrite.orders;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the REST API returns it. */
public record OrderView(
        UUID id,
        String customerId,
        OrderStatus status,
        Pattern pattern,
        int version,
        String currency,
        BigDecimal totalAmount,
        List<OrderEvent.Item> items,
        Instant createdAt,
        Instant updatedAt) {

    static OrderView of(Order order) {
        return new OrderView(
                order.getId(),
                order.getCustomerId(),
                order.getStatus(),
                order.getPattern(),
                order.getVersion(),
                order.getCurrency(),
                order.getTotalAmount(),
                items(order),
                order.getCreatedAt(),
                order.getUpdatedAt());
    }

    static List<OrderEvent.Item> items(Order order) {
        return order.getItems().stream()
                .map(item -> new OrderEvent.Item(item.getSku(), item.getQuantity(), item.getUnitPrice()))
                .toList();
    }
}
