package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as its row and item rows hold it. {@code version} is the business version every event carries: 1 on
 * create, +1 on every change. A change is one conditional UPDATE ({@link OrderRepository#change}), whose row lock
 * serializes the changes of one order and makes its event rows commit in version order.
 */
record Order(
        UUID id,
        Pattern pattern,
        String customerId,
        OrderStatus status,
        String currency,
        BigDecimal totalAmount,
        int version,
        String idempotencyKey,
        Instant createdAt,
        Instant updatedAt,
        List<OrderItem> items) {

    Order {
        items = List.copyOf(items);
    }

    static Order place(
            Pattern pattern,
            String customerId,
            String currency,
            List<OrderItem> items,
            String idempotencyKey,
            Instant now) {
        BigDecimal total = items.stream()
                .map(OrderItem::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_UP);
        return new Order(
                UUID.randomUUID(),
                pattern,
                customerId,
                OrderStatus.PENDING,
                currency,
                total,
                1,
                idempotencyKey,
                now,
                now,
                items);
    }

    Order withItems(List<OrderItem> lines) {
        return new Order(
                id,
                pattern,
                customerId,
                status,
                currency,
                totalAmount,
                version,
                idempotencyKey,
                createdAt,
                updatedAt,
                lines);
    }

    /**
     * Whether this order is what {@code request} asks for: the same customer, currency and items in the same order,
     * prices compared by value ("3" and "3.00" are one price). How a replayed Idempotency-Key is told from a reused one.
     */
    boolean placedFrom(CreateOrderRequest request) {
        if (!customerId.equals(request.customerId())
                || !currency.equals(request.currency())
                || items.size() != request.items().size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            OrderItem item = items.get(i);
            CreateOrderRequest.Item asked = request.items().get(i);
            if (!item.sku().equals(asked.sku())
                    || item.quantity() != asked.quantity()
                    || item.unitPrice().compareTo(asked.unitPrice()) != 0) {
                return false;
            }
        }
        return true;
    }
}
