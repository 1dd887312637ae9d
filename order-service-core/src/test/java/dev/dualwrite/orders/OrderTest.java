package dev.dualwrite.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant PLACED = Instant.parse("2026-11-29T10:00:00Z");

    private static Order placed() {
        return Order.place(
                Pattern.TRANSACTIONAL_OUTBOX,
                "c-1",
                "EUR",
                List.of(
                        new OrderItem("book", 2, new BigDecimal("12.50")),
                        new OrderItem("pen", 3, new BigDecimal("0.333"))),
                "key-1",
                PLACED);
    }

    @Test
    void aPlacedOrderIsPendingAtVersionOneWithItsTotalRoundedToCents() {
        Order order = placed();

        assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.version()).isEqualTo(1);
        assertThat(order.totalAmount()).isEqualByComparingTo("26.00");
        assertThat(order.totalAmount().scale()).isEqualTo(2);
        assertThat(order.createdAt()).isEqualTo(PLACED).isEqualTo(order.updatedAt());
        assertThat(order.items()).extracting(OrderItem::sku).containsExactly("book", "pen");
    }

    @Test
    void aPendingOrderMayBeConfirmedOrCancelledAConfirmedOneOnlyCancelledACancelledOneNothing() {
        assertThat(OrderStatus.CONFIRMED.reachableFrom()).containsExactly(OrderStatus.PENDING);
        assertThat(OrderStatus.CANCELLED.reachableFrom())
                .containsExactlyInAnyOrder(OrderStatus.PENDING, OrderStatus.CONFIRMED);
        assertThat(OrderStatus.PENDING.reachableFrom()).isEmpty();
    }

    @Test
    void anIdempotencyKeyReplaysOnlyTheSameCustomerCurrencyAndItemsPricesComparedByValue() {
        Order order = placed();
        CreateOrderRequest.Item book = new CreateOrderRequest.Item("book", 2, new BigDecimal("12.5"));
        CreateOrderRequest.Item pen = new CreateOrderRequest.Item("pen", 3, new BigDecimal("0.333"));

        assertThat(order.placedFrom(new CreateOrderRequest("c-1", "EUR", List.of(book, pen))))
                .isTrue();
        assertThat(order.placedFrom(new CreateOrderRequest("c-2", "EUR", List.of(book, pen))))
                .isFalse();
        assertThat(order.placedFrom(new CreateOrderRequest("c-1", "USD", List.of(book, pen))))
                .isFalse();
        assertThat(order.placedFrom(new CreateOrderRequest("c-1", "EUR", List.of(pen, book))))
                .isFalse();
        assertThat(order.placedFrom(new CreateOrderRequest("c-1", "EUR", List.of(book))))
                .isFalse();
    }

    @Test
    void itsViewAndEventSnapshotCarryTheSameItems() {
        Order order = placed();

        OrderView view = OrderView.of(order);

        assertThat(view.items())
                .extracting(item -> item.sku() + "x" + item.quantity())
                .containsExactly("bookx2", "penx3");
        assertThat(view.pattern()).isEqualTo(Pattern.TRANSACTIONAL_OUTBOX);
        assertThat(view.version()).isEqualTo(1);
    }
}
