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
                order.id(),
                order.customerId(),
                order.status(),
                order.pattern(),
                order.version(),
                order.currency(),
                order.totalAmount(),
                items(order),
                order.createdAt(),
                order.updatedAt());
    }

    static List<OrderEvent.Item> items(Order order) {
        return order.items().stream()
                .map(item -> new OrderEvent.Item(item.sku(), item.quantity(), item.unitPrice()))
                .toList();
    }
}
