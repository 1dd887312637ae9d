package dev.dualwrite.lty;

import dev.dualwrite.orders.OrderService;
import dev.dualwrite.orders.OrderStatus;
import dev.dualwrite.orders.OrderView;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A bounded long poll: answers as soon as the order leaves the given status, or with its current state when the wait
 * is over. The request thread is released while waiting. The service's own consumer wakes the waiters of an order
 * when it has committed a change of it ({@link #changed}); a coarse re-read of every waiting order covers the changes
 * this instance's consumer does not see (another instance's partitions, a client's cancel elsewhere).
 */
@Component
class OrderChangeWaiter implements DisposableBean {

    private static final Duration FALLBACK_RECHECK = Duration.ofSeconds(1);

    private final OrderService service;
    private final Map<UUID, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "order-change-waiter");
        thread.setDaemon(true);
        return thread;
    });

    private record Waiter(DeferredResult<OrderView> result, OrderStatus status) {}

    @Autowired
    OrderChangeWaiter(OrderService service) {
        this(service, FALLBACK_RECHECK);
    }

    OrderChangeWaiter(OrderService service, Duration fallbackRecheck) {
        this.service = service;
        scheduler.setRemoveOnCancelPolicy(true); // an answered wait's deadline leaves the queue at once
        scheduler.scheduleWithFixedDelay(
                () -> waiting.keySet().forEach(this::check),
                fallbackRecheck.toMillis(),
                fallbackRecheck.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    DeferredResult<OrderView> waitWhile(UUID id, OrderStatus status, Duration timeout) {
        DeferredResult<OrderView> result = new DeferredResult<>(timeout.toMillis() + 1000);
        OrderView now = service.get(id);
        if (now.status() != status) {
            result.setResult(now);
            return result;
        }
        Waiter waiter = new Waiter(result, status);
        waiting.computeIfAbsent(id, key -> ConcurrentHashMap.newKeySet()).add(waiter);
        ScheduledFuture<?> deadline =
                scheduler.schedule(() -> answer(waiter, id), timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.onCompletion(() -> {
            deadline.cancel(false);
            forget(id, waiter);
        });
        // A change committed between the read above and the registration woke nobody.
        scheduler.execute(() -> check(id));
        return result;
    }

    /** The order changed (a committed change its own consumer saw): its waiters read it now. */
    void changed(UUID id) {
        if (id != null && waiting.containsKey(id)) {
            scheduler.execute(() -> check(id));
        }
    }

    private void check(UUID id) {
        Set<Waiter> waiters = waiting.get(id);
        if (waiters == null || waiters.isEmpty()) {
            return;
        }
        try {
            OrderView order = service.get(id);
            waiters.stream()
                    .filter(waiter -> order.status() != waiter.status())
                    .forEach(waiter -> waiter.result().setResult(order));
        } catch (RuntimeException e) {
            waiters.forEach(waiter -> waiter.result().setErrorResult(e));
        }
    }

    private void answer(Waiter waiter, UUID id) {
        if (!waiter.result().isSetOrExpired()) {
            try {
                waiter.result().setResult(service.get(id));
            } catch (RuntimeException e) {
                waiter.result().setErrorResult(e);
            }
        }
    }

    private void forget(UUID id, Waiter waiter) {
        waiting.computeIfPresent(id, (key, waiters) -> {
            waiters.remove(waiter);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
