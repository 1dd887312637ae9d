package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The orders table and its items, in SQL: every order of every pattern passes here, so a create is one statement (the
 * order and its items) and a change is one conditional UPDATE that locks, checks and writes the row at once. (With JPA
 * a create was an insert for the order and one per item, then a flush; a change four statements — the lock, the items,
 * the update, the flush: README, Benchmarks.)
 */
class OrderRepository {

    private static final String ORDER_COLUMNS =
            "id, pattern, customer_id, status, currency, total_amount, version, idempotency_key, created_at, updated_at";

    /* An order's columns and, one row per item, its item's (null for an order without items), in line order. */
    private static final String ORDER_AND_ITEMS = """
            SELECT o.id, o.pattern, o.customer_id, o.status, o.currency, o.total_amount, o.version, o.idempotency_key,
                   o.created_at, o.updated_at, i.line_no, i.sku, i.quantity, i.unit_price
            """;

    /*
     * The items' foreign key holds although its order is inserted by the same statement: PostgreSQL checks it at the
     * statement's end, when the CTE's row exists (a data-modifying CTE runs to completion whether or not it is read).
     * line_no counts from 0, as the rows written before this class (JPA's @OrderColumn) do.
     */
    private static final String INSERT = """
            WITH placed AS (
                INSERT INTO orders (%s)
                VALUES (:id, :pattern, :customerId, :status, :currency, :totalAmount, :version,
                        :idempotencyKey, :createdAt, :updatedAt)
            )
            INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price)
            SELECT :id, line.n - 1, line.sku, line.quantity, line.unit_price
            FROM unnest(:skus, :quantities, :unitPrices) WITH ORDINALITY AS line (sku, quantity, unit_price, n)
            """.formatted(ORDER_COLUMNS);

    /*
     * The row lock of the UPDATE serializes changes of one order: a concurrent change waits, then re-checks the status
     * against the committed row (READ COMMITTED), so versions never repeat and every change starts from the last. The
     * time was taken before the lock was: greatest() keeps an order's times (and its events' occurredAt) in version
     * order when a change waited behind another.
     */
    private static final String CHANGE = """
            WITH o AS (
                UPDATE orders SET status = :target, version = version + 1, updated_at = greatest(updated_at, :now)
                WHERE id = :id AND pattern = :pattern AND status IN (:from)
                RETURNING %s
            )
            %s
            FROM o LEFT JOIN order_items i ON i.order_id = o.id
            ORDER BY i.line_no
            """.formatted(ORDER_COLUMNS, ORDER_AND_ITEMS);

    private static final String BY_ID = """
            %s
            FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
            WHERE o.id = :id AND o.pattern = :pattern
            ORDER BY i.line_no
            """.formatted(ORDER_AND_ITEMS);

    private static final String BY_IDEMPOTENCY_KEY = """
            %s
            FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
            WHERE o.pattern = :pattern AND o.idempotency_key = :key
            ORDER BY i.line_no
            """.formatted(ORDER_AND_ITEMS);

    /* The orders are limited first and joined after, so that LIMIT counts orders, not item rows. */
    private static final String LATEST = """
            %s
            FROM (SELECT %s FROM orders WHERE pattern = :pattern ORDER BY created_at DESC LIMIT :limit) o
            LEFT JOIN order_items i ON i.order_id = o.id
            ORDER BY o.created_at DESC, o.id, i.line_no
            """.formatted(ORDER_AND_ITEMS, ORDER_COLUMNS);

    private final JdbcClient jdbc;

    OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException the idempotency key is taken in this pattern */
    void insert(Order order) {
        jdbc.sql(INSERT)
                .param("id", order.id())
                .param("pattern", order.pattern().name())
                .param("customerId", order.customerId())
                .param("status", order.status().name())
                .param("currency", order.currency())
                .param("totalAmount", order.totalAmount())
                .param("version", order.version())
                .param("idempotencyKey", order.idempotencyKey())
                .param("createdAt", timestamp(order.createdAt()))
                .param("updatedAt", timestamp(order.updatedAt()))
                .param("skus", array("varchar", order.items().stream().map(OrderItem::sku)))
                .param("quantities", array("int4", order.items().stream().map(OrderItem::quantity)))
                .param("unitPrices", array("numeric", order.items().stream().map(OrderItem::unitPrice)))
                .update();
    }

    /** The order moved to {@code target} if its status is one of {@code from}; empty if not, or if it does not exist. */
    Optional<Order> change(UUID id, Pattern pattern, Set<OrderStatus> from, OrderStatus target, Instant now) {
        return jdbc
                .sql(CHANGE)
                .param("id", id)
                .param("pattern", pattern.name())
                .param("target", target.name())
                .param("now", timestamp(now))
                .param("from", from.stream().map(Enum::name).toList())
                .query(ORDERS)
                .stream()
                .findFirst();
    }

    Optional<Order> findByIdAndPattern(UUID id, Pattern pattern) {
        return jdbc.sql(BY_ID).param("id", id).param("pattern", pattern.name()).query(ORDERS).stream()
                .findFirst();
    }

    Optional<Order> findByPatternAndIdempotencyKey(Pattern pattern, String idempotencyKey) {
        return jdbc
                .sql(BY_IDEMPOTENCY_KEY)
                .param("pattern", pattern.name())
                .param("key", idempotencyKey)
                .query(ORDERS)
                .stream()
                .findFirst();
    }

    List<Order> findLatest(Pattern pattern, int limit) {
        return jdbc.sql(LATEST)
                .param("pattern", pattern.name())
                .param("limit", limit)
                .query(ORDERS);
    }

    private static SqlArrayValue array(String type, Stream<?> elements) {
        return new SqlArrayValue(type, elements.toArray());
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** One row per item (one with null item columns for an order without items), in item order per order. */
    private static final ResultSetExtractor<List<Order>> ORDERS = rs -> {
        Map<UUID, Order> orders = new LinkedHashMap<>();
        Map<UUID, List<OrderItem>> items = new LinkedHashMap<>();
        while (rs.next()) {
            UUID id = rs.getObject("id", UUID.class);
            if (!orders.containsKey(id)) {
                orders.put(id, order(rs, id));
                items.put(id, new ArrayList<>());
            }
            if (rs.getString("sku") != null) {
                items.get(id)
                        .add(new OrderItem(rs.getString("sku"), rs.getInt("quantity"), rs.getBigDecimal("unit_price")));
            }
        }
        return orders.values().stream()
                .map(order -> order.withItems(items.get(order.id())))
                .toList();
    };

    private static Order order(ResultSet rs, UUID id) throws SQLException {
        return new Order(
                id,
                Pattern.valueOf(rs.getString("pattern")),
                rs.getString("customer_id"),
                OrderStatus.valueOf(rs.getString("status")),
                rs.getString("currency"),
                rs.getBigDecimal("total_amount"),
                rs.getInt("version"),
                rs.getString("idempotency_key"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                List.of());
    }
}
