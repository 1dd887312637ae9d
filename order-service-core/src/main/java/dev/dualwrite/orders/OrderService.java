package dev.dualwrite.orders;

import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every state change writes the order and exactly one event row in the same transaction: both commit, or neither.
 */
public class OrderService {

    /** orders (pattern, idempotency_key), in database-schema's V1. */
    private static final String IDEMPOTENCY_KEY_CONSTRAINT = "orders_idempotency_key_uk";

    private final OrderRepository orders;
    private final OrderEventSink events;
    private final TransactionTemplate transaction;
    private final OrdersProperties properties;
    private final ClientConfirmation clientConfirmation;
    private final Clock clock;

    OrderService(
            OrderRepository orders,
            OrderEventSink events,
            TransactionTemplate transaction,
            OrdersProperties properties,
            ClientConfirmation clientConfirmation,
            Clock clock) {
        this.orders = orders;
        this.events = events;
        this.transaction = transaction;
        this.properties = properties;
        this.clientConfirmation = clientConfirmation;
        this.clock = clock;
    }

    /** A result of create: the order, and whether it was created now or earlier under the same idempotency key. */
    public record Created(OrderView order, boolean replayed) {}

    /**
     * Places the order, or answers the one placed earlier under the same Idempotency-Key when the body is the same.
     *
     * @throws IdempotencyKeyReusedException the key was used for a different body
     */
    public Created create(CreateOrderRequest request, String idempotencyKey) {
        if (idempotencyKey != null) {
            Optional<Created> earlier = replay(request, idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            return new Created(transaction.execute(status -> place(request, idempotencyKey)), false);
        } catch (DataIntegrityViolationException e) {
            if (idempotencyKey == null || !violates(e, IDEMPOTENCY_KEY_CONSTRAINT)) {
                throw e;
            }
            // Another request with the same key committed first.
            return replay(request, idempotencyKey).orElseThrow(() -> e);
        }
    }

    private Optional<Created> replay(CreateOrderRequest request, String idempotencyKey) {
        return transaction.execute(status -> orders.findByPatternAndIdempotencyKey(properties.pattern(), idempotencyKey)
                .map(order -> {
                    if (!order.placedFrom(request)) {
                        throw new IdempotencyKeyReusedException(idempotencyKey);
                    }
                    return new Created(OrderView.of(order), true);
                }));
    }

    /** The constraint's name is in PostgreSQL's message ("... violates unique constraint \"name\""). */
    private static boolean violates(DataIntegrityViolationException e, String constraint) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(constraint)) {
                return true;
            }
        }
        return false;
    }

    private OrderView place(CreateOrderRequest request, String idempotencyKey) {
        // Cents, as the column keeps them: the answer, the event and every later read show the same "3.00" for "3".
        List<OrderItem> items = request.items().stream()
                .map(item -> new OrderItem(
                        item.sku(), item.quantity(), item.unitPrice().setScale(2)))
                .toList();
        Order order = orders.saveAndFlush(Order.place(
                properties.pattern(), request.customerId(), request.currency(), items, idempotencyKey, now()));
        events.append(event(EventType.OrderCreated, order));
        return OrderView.of(order);
    }

    public OrderView get(UUID id) {
        return transaction.execute(status -> orders.findByIdAndPattern(id, properties.pattern())
                .map(OrderView::of)
                .orElseThrow(() -> new OrderNotFoundException(id)));
    }

    public List<OrderView> list(int limit) {
        return transaction.execute(
                status -> orders.findByPatternOrderByCreatedAtDesc(properties.pattern(), Limit.of(limit)).stream()
                        .map(OrderView::of)
                        .toList());
    }

    /** A client's confirmation, unless the service's {@link ClientConfirmation} refuses it. */
    public OrderView confirm(UUID id) {
        clientConfirmation.refusal().ifPresent(reason -> {
            throw new IllegalTransitionException(reason);
        });
        return change(id, EventType.OrderConfirmed);
    }

    public OrderView cancel(UUID id) {
        return change(id, EventType.OrderCancelled);
    }

    /**
     * Applies the change if the order still has the given status, else leaves it as it is and answers empty: for a
     * service that changes its orders itself, where a client may have changed the order first. Not subject to
     * {@link ClientConfirmation}. Joins the caller's transaction.
     */
    public Optional<OrderView> changeIfStill(UUID id, OrderStatus status, EventType type) {
        return transaction.execute(tx -> {
            Order order = lock(id);
            return order.getStatus() == status ? Optional.of(apply(order, type)) : Optional.<OrderView>empty();
        });
    }

    private OrderView change(UUID id, EventType type) {
        return transaction.execute(tx -> apply(lock(id), type));
    }

    private Order lock(UUID id) {
        return orders.findForUpdate(id, properties.pattern()).orElseThrow(() -> new OrderNotFoundException(id));
    }

    /** Applies a change to a locked order and appends its event. */
    private OrderView apply(Order order, EventType type) {
        switch (type) {
            case OrderConfirmed -> order.confirm(now());
            case OrderCancelled -> order.cancel(now());
            case OrderCreated -> throw new IllegalArgumentException("an order is created only once");
        }
        events.append(event(type, order));
        return OrderView.of(order);
    }

    private OrderEvent event(EventType type, Order order) {
        return new OrderEvent(
                UUID.randomUUID(),
                type,
                order.getId(),
                order.getPattern(),
                order.getVersion(),
                order.getUpdatedAt(),
                new OrderEvent.OrderSnapshot(
                        order.getId(),
                        order.getCustomerId(),
                        order.getStatus().name(),
                        order.getCurrency(),
                        order.getTotalAmount(),
                        OrderView.items(order)));
    }

    /** Microseconds: what PostgreSQL's timestamptz keeps, so the event and the row say the same instant. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
