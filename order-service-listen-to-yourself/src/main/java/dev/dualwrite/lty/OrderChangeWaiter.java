package dev.dualwrite.lty;

import dev.dualwrite.orders.OrderService;
import dev.dualwrite.orders.OrderStatus;
import dev.dualwrite.orders.OrderView;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A bounded long poll: answers as soon as the order leaves the given status, or with its current state when the wait
 * is over. The request thread is released while waiting; one scheduler thread re-reads the waiting orders.
 */
@Component
class OrderChangeWaiter implements DisposableBean {

    private static final Duration RECHECK = Duration.ofMillis(50);

    private final OrderService service;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "order-change-waiter");
        thread.setDaemon(true);
        return thread;
    });

    OrderChangeWaiter(OrderService service) {
        this.service = service;
    }

    DeferredResult<OrderView> waitWhile(UUID id, OrderStatus status, Duration timeout) {
        OrderView now = service.get(id);
        DeferredResult<OrderView> result = new DeferredResult<>(timeout.toMillis() + 1000);
        if (now.status() != status) {
            result.setResult(now);
            return result;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        recheck(result, id, status, deadline);
        return result;
    }

    private void recheck(DeferredResult<OrderView> result, UUID id, OrderStatus status, long deadline) {
        scheduler.schedule(
                () -> {
                    try {
                        OrderView order = service.get(id);
                        if (order.status() != status || System.nanoTime() >= deadline) {
                            result.setResult(order);
                        } else if (!result.isSetOrExpired()) {
                            recheck(result, id, status, deadline);
                        }
                    } catch (RuntimeException e) {
                        result.setErrorResult(e);
                    }
                },
                RECHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
