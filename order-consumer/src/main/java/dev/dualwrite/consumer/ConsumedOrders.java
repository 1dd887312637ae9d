package dev.dualwrite.consumer;

import dev.dualwrite.events.OrderEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The consumed_orders table. */
@Repository
class ConsumedOrders {

    private static final String FIND = """
            SELECT order_id, pattern, status, version, events_applied, last_event_id, last_event_occurred_at, applied_at
              FROM consumed_orders WHERE order_id = :id
            """;

    private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

    private static final String INSERT = """
            INSERT INTO consumed_orders (order_id, pattern, status, version, events_applied, last_event_id,
                                         last_event_occurred_at, applied_at)
            VALUES (:id, :pattern, :status, :version, 1, :eventId, :occurredAt, :appliedAt)
            """;

    private static final String UPDATE = """
            UPDATE consumed_orders
               SET status = :status, version = :version, events_applied = events_applied + 1,
                   last_event_id = :eventId, last_event_occurred_at = :occurredAt, applied_at = :appliedAt
             WHERE order_id = :id
            """;

    private static final String COUNTS = """
            SELECT pattern, count(*) AS orders, sum(events_applied) AS events FROM consumed_orders GROUP BY pattern
            """;

    private final JdbcClient jdbc;

    ConsumedOrders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ConsumedOrder> find(UUID id) {
        return jdbc.sql(FIND).param("id", id).query(ConsumedOrders::row).optional();
    }

    Optional<ConsumedOrder> findForUpdate(UUID id) {
        return jdbc.sql(FIND_FOR_UPDATE)
                .param("id", id)
                .query(ConsumedOrders::row)
                .optional();
    }

    void insert(OrderEvent event, Instant appliedAt) {
        write(INSERT, event, appliedAt);
    }

    void update(OrderEvent event, Instant appliedAt) {
        write(UPDATE, event, appliedAt);
    }

    record PatternCount(String pattern, long orders, long events) {}

    List<PatternCount> countsPerPattern() {
        return jdbc.sql(COUNTS)
                .query((rs, row) ->
                        new PatternCount(rs.getString("pattern"), rs.getLong("orders"), rs.getLong("events")))
                .list();
    }

    private void write(String sql, OrderEvent event, Instant appliedAt) {
        jdbc.sql(sql)
                .param("id", event.orderId())
                .param("pattern", event.pattern().name())
                .param("status", event.order().status())
                .param("version", event.version())
                .param("eventId", event.eventId())
                .param("occurredAt", Timestamp.from(event.occurredAt()))
                .param("appliedAt", Timestamp.from(appliedAt))
                .update();
    }

    private static ConsumedOrder row(ResultSet rs, int row) throws SQLException {
        return new ConsumedOrder(
                rs.getObject("order_id", UUID.class),
                rs.getString("pattern"),
                rs.getString("status"),
                rs.getInt("version"),
                rs.getInt("events_applied"),
                rs.getObject("last_event_id", UUID.class),
                rs.getTimestamp("last_event_occurred_at").toInstant(),
                rs.getTimestamp("applied_at").toInstant());
    }
}
