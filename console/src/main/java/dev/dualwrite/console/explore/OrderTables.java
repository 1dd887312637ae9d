package dev.dualwrite.console.explore;

import dev.dualwrite.console.Writers;
import dev.dualwrite.console.explore.OrderJourney.Downstream;
import dev.dualwrite.console.explore.OrderJourney.EventRow;
import dev.dualwrite.console.explore.OrderJourney.Item;
import dev.dualwrite.console.explore.OrderJourney.Order;
import dev.dualwrite.events.Pattern;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Read-only: the orders, their lines, their event rows and their downstream view, as the tables hold them. */
@Component
class OrderTables {

    /** One pattern at a time: orders_pattern_created_at_idx answers it without sorting the table. */
    private static final String RECENT = """
            SELECT id, pattern, customer_id, status, currency, total_amount, version, created_at, updated_at
              FROM orders
             WHERE pattern = :pattern
             ORDER BY created_at DESC
             LIMIT :limit
            """;

    private static final String ORDER = """
            SELECT id, pattern, customer_id, status, currency, total_amount, version, created_at, updated_at
              FROM orders WHERE id = :id
            """;

    private static final String ITEMS = """
            SELECT line_no, sku, quantity, unit_price FROM order_items WHERE order_id = :id ORDER BY line_no
            """;

    /**
     * Published rows have no index by order (the relays need one only for pending rows), so this scans the table: fine
     * for one page, and the reason the console never runs it on a timer.
     */
    private static final String EVENTS = """
            SELECT id, type, position, created_at, published_at, attempts, last_error, parked_at, tracingspancontext
              FROM %s WHERE aggregateid = :id ORDER BY position
            """;

    private static final String DOWNSTREAM = """
            SELECT status, version, events_applied, last_event_id, last_event_occurred_at, applied_at
              FROM consumed_orders WHERE order_id = :id
            """;

    private final JdbcClient jdbc;

    OrderTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest orders of one pattern first. */
    List<Order> recent(Pattern pattern, int limit) {
        return jdbc.sql(RECENT)
                .param("pattern", pattern.name())
                .param("limit", limit)
                .query(OrderTables::order)
                .list();
    }

    Optional<Order> order(UUID id) {
        return jdbc.sql(ORDER).param("id", id).query(OrderTables::order).optional();
    }

    List<Item> items(UUID id) {
        return jdbc.sql(ITEMS)
                .param("id", id)
                .query((rs, row) -> new Item(
                        rs.getInt("line_no"),
                        rs.getString("sku"),
                        rs.getInt("quantity"),
                        rs.getBigDecimal("unit_price")))
                .list();
    }

    /**
     * The order's rows in its pattern's event table; none for log tailing (its rows are deleted in the transaction that
     * writes them: the WAL keeps them) and for the naive write (it has no table).
     */
    List<EventRow> events(Pattern pattern, UUID id) {
        var writer = Writers.of(pattern);
        if (writer.relays().isEmpty()) {
            return List.of();
        }
        return jdbc.sql(EVENTS.formatted(writer.eventTable()))
                .param("id", id.toString())
                .query((rs, row) -> new EventRow(
                        rs.getObject("id", UUID.class),
                        rs.getString("type"),
                        rs.getLong("position"),
                        instant(rs, "created_at"),
                        instant(rs, "published_at"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        instant(rs, "parked_at"),
                        rs.getString("tracingspancontext")))
                .list();
    }

    Optional<Downstream> downstream(UUID id) {
        return jdbc.sql(DOWNSTREAM)
                .param("id", id)
                .query((rs, row) -> new Downstream(
                        rs.getString("status"),
                        rs.getInt("version"),
                        rs.getInt("events_applied"),
                        rs.getObject("last_event_id", UUID.class),
                        instant(rs, "last_event_occurred_at"),
                        instant(rs, "applied_at")))
                .optional();
    }

    private static Order order(ResultSet rs, int row) throws SQLException {
        return new Order(
                rs.getObject("id", UUID.class),
                rs.getString("pattern"),
                rs.getString("customer_id"),
                rs.getString("status"),
                rs.getString("currency"),
                rs.getBigDecimal("total_amount"),
                rs.getInt("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
