package dev.dualwrite.lty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.OrderService;
import dev.dualwrite.orders.OrderStatus;
import dev.dualwrite.orders.OrderView;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.context.request.async.DeferredResult;

/** The long poll's wake-up, with the fallback re-read an hour away: only {@link OrderChangeWaiter#changed} can answer. */
class OrderChangeWaiterTest {

    private final UUID id = UUID.randomUUID();
    private final OrderService service = mock(OrderService.class);
    private final OrderChangeWaiter waiter = new OrderChangeWaiter(service, Duration.ofHours(1));

    @AfterEach
    void stop() {
        waiter.destroy();
    }

    @Test
    void aWaitingRequestIsAnsweredWhenItsOrdersChangeIsAnnounced() {
        given(service.get(id)).willReturn(order(OrderStatus.PENDING));
        DeferredResult<OrderView> result = waiter.waitWhile(id, OrderStatus.PENDING, Duration.ofSeconds(30));
        await().during(Duration.ofMillis(200)).until(() -> !result.hasResult());

        given(service.get(id)).willReturn(order(OrderStatus.CONFIRMED));
        waiter.changed(id);

        await().atMost(Duration.ofSeconds(5)).until(result::hasResult);
        assertThat(((OrderView) result.getResult()).status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void anAnnouncementOfAnotherOrderOrOfNoChangeLeavesItWaiting() {
        given(service.get(id)).willReturn(order(OrderStatus.PENDING));
        DeferredResult<OrderView> result = waiter.waitWhile(id, OrderStatus.PENDING, Duration.ofSeconds(30));

        waiter.changed(UUID.randomUUID());
        waiter.changed(id);
        waiter.changed(null);

        await().during(Duration.ofMillis(300)).until(() -> !result.hasResult());
    }

    @Test
    void theWaitEndsWithTheCurrentStateAtItsDeadline() {
        given(service.get(id)).willReturn(order(OrderStatus.PENDING));

        DeferredResult<OrderView> result = waiter.waitWhile(id, OrderStatus.PENDING, Duration.ofMillis(200));

        await().atMost(Duration.ofSeconds(5)).until(result::hasResult);
        assertThat(((OrderView) result.getResult()).status()).isEqualTo(OrderStatus.PENDING);
    }

    private OrderView order(OrderStatus status) {
        return new OrderView(
                id,
                "c-1",
                status,
                Pattern.LISTEN_TO_YOURSELF,
                status == OrderStatus.PENDING ? 1 : 2,
                "EUR",
                BigDecimal.ONE,
                List.of(),
                Instant.now(),
                Instant.now());
    }
}
