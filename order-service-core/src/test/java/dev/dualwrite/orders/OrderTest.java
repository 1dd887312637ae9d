package dev.dualwrite.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.events.Pattern;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant PLACED = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant LATER = PLACED.plusSeconds(5);

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

        assertThat(order.getStatus()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.getVersion()).isEqualTo(1);
        assertThat(order.getTotalAmount()).isEqualByComparingTo("26.00");
        assertThat(order.getTotalAmount().scale()).isEqualTo(2);
        assertThat(order.getCreatedAt()).isEqualTo(PLACED).isEqualTo(order.getUpdatedAt());
        assertThat(order.getItems()).extracting(OrderItem::getSku).containsExactly("book", "pen");
    }

    @Test
    void everyChangeRaisesTheVersionByOneAndStampsTheTime() {
        Order order = placed();

        order.confirm(LATER);
        assertThat(order.getStatus()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(order.getVersion()).isEqualTo(2);
        assertThat(order.getUpdatedAt()).isEqualTo(LATER);

        order.cancel(LATER.plusSeconds(1));
        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.getVersion()).isEqualTo(3);
        assertThat(order.getCreatedAt()).isEqualTo(PLACED);
    }

    @Test
    void aPendingOrderCanBeCancelledDirectly() {
        Order order = placed();

        order.cancel(LATER);

        assertThat(order.getStatus()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(order.getVersion()).isEqualTo(2);
    }

    @Test
    void aConfirmedOrderCannotBeConfirmedAgainAndStaysAsItWas() {
        Order order = placed();
        order.confirm(LATER);

        assertThatThrownBy(() -> order.confirm(LATER.plusSeconds(1)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("is CONFIRMED and cannot become CONFIRMED");
        assertThat(order.getVersion()).isEqualTo(2);
        assertThat(order.getUpdatedAt()).isEqualTo(LATER);
    }

    @Test
    void aCancelledOrderIsFinal() {
        Order order = placed();
        order.cancel(LATER);

        assertThatThrownBy(() -> order.confirm(LATER)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> order.cancel(LATER)).isInstanceOf(IllegalTransitionException.class);
        assertThat(order.getVersion()).isEqualTo(2);
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
