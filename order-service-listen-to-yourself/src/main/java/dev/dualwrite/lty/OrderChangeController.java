package dev.dualwrite.lty;

import dev.dualwrite.orders.OrderStatus;
import dev.dualwrite.orders.OrderView;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The long poll of a service whose orders change without the client: {@code GET /api/orders/{id}?waitWhileStatus=PENDING}
 * answers as soon as the order has been confirmed (or cancelled), or with its current state after {@code waitSeconds}
 * (at most 30). Beside the order API's plain {@code GET /api/orders/{id}}, told apart by the parameter.
 */
@RestController
class OrderChangeController {

    private final OrderChangeWaiter waiter;

    OrderChangeController(OrderChangeWaiter waiter) {
        this.waiter = waiter;
    }

    @GetMapping(path = "/api/orders/{id}", params = "waitWhileStatus")
    DeferredResult<OrderView> awaitChange(
            @PathVariable UUID id,
            @RequestParam OrderStatus waitWhileStatus,
            @RequestParam(defaultValue = "10") @Min(1) @Max(30) int waitSeconds) {
        return waiter.waitWhile(id, waitWhileStatus, Duration.ofSeconds(waitSeconds));
    }
}
