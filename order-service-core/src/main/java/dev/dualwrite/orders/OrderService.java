package dev.dualwrite.orders;

import dev.dualwrite.events.EventType;
import dev.dualwrite.events.OrderEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
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
        return orders.findByPatternAndIdempotencyKey(properties.pattern(), idempotencyKey)
                .map(order -> {
                    if (!order.placedFrom(request)) {
                        throw new IdempotencyKeyReusedException(idempotencyKey);
                    }
                    return new Created(OrderView.of(order), true);
                });
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
        Order order = Order.place(
                properties.pattern(), request.customerId(), request.currency(), items, idempotencyKey, now());
        orders.insert(order);
        events.append(event(EventType.OrderCreated, order));
        return OrderView.of(order);
    }

    /* Reads are one statement each: no transaction needed to see one consistent order. */

    public OrderView get(UUID id) {
        return OrderView.of(current(id));
    }

    public List<OrderView> list(int limit) {
        return orders.findLatest(properties.pattern(), limit).stream()
                .map(OrderView::of)
                .toList();
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
     * service that changes its orders itself, where a client may have changed the order first. Empty too when the
     * lifecycle forbids the change from that status (a client's confirm or cancel answers 409 instead). Not subject to
     * {@link ClientConfirmation}. Joins the caller's transaction.
     */
    public Optional<OrderView> changeIfStill(UUID id, OrderStatus status, EventType type) {
        Set<OrderStatus> from = target(type).reachableFrom().contains(status) ? Set.of(status) : Set.of();
        return transaction.execute(tx -> {
            Optional<Order> changed = apply(id, from, type);
            if (changed.isEmpty()) {
                current(id); // not found is an error here too; another status is the empty answer
            }
            return changed.map(OrderView::of);
        });
    }

    private OrderView change(UUID id, EventType type) {
        OrderStatus target = target(type);
        return transaction.execute(tx -> apply(id, target.reachableFrom(), type)
                .map(OrderView::of)
                .orElseThrow(
                        () -> new IllegalTransitionException(id, current(id).status(), target)));
    }

    private Order current(UUID id) {
        return orders.findByIdAndPattern(id, properties.pattern()).orElseThrow(() -> new OrderNotFoundException(id));
    }

    /**
     * Moves the order from one of the {@code from} statuses to the change's and appends its event; empty, with nothing
     * written, when its status is another or it does not exist.
     */
    private Optional<Order> apply(UUID id, Set<OrderStatus> from, EventType type) {
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Optional<Order> changed = orders.change(id, properties.pattern(), from, target(type), now());
        changed.ifPresent(order -> events.append(event(type, order)));
        return changed;
    }

    private static OrderStatus target(EventType type) {
        return switch (type) {
            case OrderConfirmed -> OrderStatus.CONFIRMED;
            case OrderCancelled -> OrderStatus.CANCELLED;
            case OrderCreated -> throw new IllegalArgumentException("an order is created only once");
        };
    }

    private OrderEvent event(EventType type, Order order) {
        return new OrderEvent(
                UUID.randomUUID(),
                type,
                order.id(),
                order.pattern(),
                order.version(),
                order.updatedAt(),
                new OrderEvent.OrderSnapshot(
                        order.id(),
                        order.customerId(),
                        order.status().name(),
                        order.currency(),
                        order.totalAmount(),
                        OrderView.items(order)));
    }

    /** Microseconds: what PostgreSQL's timestamptz keeps, so the event and the row say the same instant. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
