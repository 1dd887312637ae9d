package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * An order and its lifecycle. {@code version} is the business version every event carries: 1 on create, +1 on every
 * change. Concurrent changes of one order are serialized by a row lock ({@link OrderRepository#findForUpdate}), which
 * also makes the order's event rows commit in version order.
 */
@Entity
@Table(name = "orders")
public class Order implements Persistable<UUID> {

    @Id
    private UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Pattern pattern;

    @Column(name = "customer_id", nullable = false)
    private String customerId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;

    @Column(nullable = false, columnDefinition = "char(3)")
    private String currency;

    @Column(name = "total_amount", nullable = false)
    private BigDecimal totalAmount;

    @Column(nullable = false)
    private int version;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @ElementCollection
    @CollectionTable(name = "order_items", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    private List<OrderItem> items = new ArrayList<>();

    /*
     * The id is assigned here, not by the database, so Spring Data cannot tell a new order from a detached one by a
     * null id: without this flag save() merges, and a merge first SELECTs the order and its items to find out they do
     * not exist — a query per create for nothing.
     */
    @Transient
    private boolean isNew;

    protected Order() {}

    static Order place(
            Pattern pattern,
            String customerId,
            String currency,
            List<OrderItem> items,
            String idempotencyKey,
            Instant now) {
        Order order = new Order();
        order.id = UUID.randomUUID();
        order.pattern = pattern;
        order.customerId = customerId;
        order.currency = currency;
        order.items = new ArrayList<>(items);
        order.totalAmount = items.stream()
                .map(OrderItem::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_UP);
        order.status = OrderStatus.PENDING;
        order.version = 1;
        order.idempotencyKey = idempotencyKey;
        order.createdAt = now;
        order.updatedAt = now;
        order.isNew = true;
        return order;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostPersist
    void notNew() {
        isNew = false;
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
            if (!item.getSku().equals(asked.sku())
                    || item.getQuantity() != asked.quantity()
                    || item.getUnitPrice().compareTo(asked.unitPrice()) != 0) {
                return false;
            }
        }
        return true;
    }

    void confirm(Instant now) {
        transition(OrderStatus.PENDING.equals(status), OrderStatus.CONFIRMED, now);
    }

    void cancel(Instant now) {
        transition(
                OrderStatus.PENDING.equals(status) || OrderStatus.CONFIRMED.equals(status), OrderStatus.CANCELLED, now);
    }

    private void transition(boolean allowed, OrderStatus target, Instant now) {
        if (!allowed) {
            throw new IllegalTransitionException(id, status, target);
        }
        status = target;
        version++;
        updatedAt = now;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public Pattern getPattern() {
        return pattern;
    }

    public String getCustomerId() {
        return customerId;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public String getCurrency() {
        return currency;
    }

    public BigDecimal getTotalAmount() {
        return totalAmount;
    }

    public int getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public List<OrderItem> getItems() {
        return List.copyOf(items);
    }
}
