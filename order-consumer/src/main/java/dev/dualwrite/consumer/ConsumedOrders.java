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

    /* The first version of an order, unless it is there already. */
    private static final String INSERT_FIRST = """
            INSERT INTO consumed_orders (order_id, pattern, status, version, events_applied, last_event_id,
                                         last_event_occurred_at, applied_at)
            VALUES (:id, :pattern, :status, :version, 1, :eventId, :occurredAt, :appliedAt)
            ON CONFLICT (order_id) DO NOTHING
            """;

    /* Any later version, only on the version before it. */
    private static final String UPDATE_NEXT = """
            UPDATE consumed_orders
               SET status = :status, version = :version, events_applied = events_applied + 1,
                   last_event_id = :eventId, last_event_occurred_at = :occurredAt, applied_at = :appliedAt
             WHERE order_id = :id AND version = :version - 1
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

    /**
     * Applies the event if it is the next version of its order — one statement, which also takes the row's lock — and
     * says whether it was; the caller tells a stale event from a gap only when it was not.
     */
    boolean applyIfNext(OrderEvent event, Instant appliedAt) {
        return jdbc.sql(event.version() == 1 ? INSERT_FIRST : UPDATE_NEXT)
                        .param("id", event.orderId())
                        .param("pattern", event.pattern().name())
                        .param("status", event.order().status())
                        .param("version", event.version())
                        .param("eventId", event.eventId())
                        .param("occurredAt", Timestamp.from(event.occurredAt()))
                        .param("appliedAt", Timestamp.from(appliedAt))
                        .update()
                == 1;
    }

    record PatternCount(String pattern, long orders, long events) {}

    List<PatternCount> countsPerPattern() {
        return jdbc.sql(COUNTS)
                .query((rs, row) ->
                        new PatternCount(rs.getString("pattern"), rs.getLong("orders"), rs.getLong("events")))
                .list();
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
