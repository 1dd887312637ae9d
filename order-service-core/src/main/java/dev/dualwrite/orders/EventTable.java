package dev.dualwrite.orders;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.tracing.EventTracing;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event table: as an {@link OrderEventSink}, each event becomes a row, written inside the order's transaction. The
 * columns are Debezium's outbox columns; the payload is the event record itself, so the relay and Debezium's
 * EventRouter put it on the topic unchanged. The row keeps the trace context of the change (the request's, or the
 * consumed record's), so that its record belongs to the same trace ({@link EventTracing}).
 */
public class EventTable implements OrderEventSink {

    private static final String INSERT = """
            INSERT INTO %s (id, aggregatetype, aggregateid, type, payload, tracingspancontext)
            VALUES (:id, 'Order', :aggregateId, :type, CAST(:payload AS jsonb), :traceContext)
            """;

    private static final String DELETE = """
            DELETE FROM %s WHERE id = :id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String table;
    private final EventTracing tracing;
    private final RelayWakeUp wakeUp;

    /** An event table no relay polls (log tailing's: Debezium reads the WAL). */
    public EventTable(JdbcClient jdbc, JsonMapper json, EventTracing tracing, String table) {
        this(jdbc, json, tracing, table, null);
    }

    /** An event table whose relays {@code wakeUp} wakes after each commit that appended to it. */
    public EventTable(JdbcClient jdbc, JsonMapper json, EventTracing tracing, String table, RelayWakeUp wakeUp) {
        if (table == null || !table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("an event table must be a plain lower-case table name, was: " + table);
        }
        this.jdbc = jdbc;
        this.json = json;
        this.table = table;
        this.tracing = tracing;
        this.wakeUp = wakeUp;
    }

    @Override
    public void append(OrderEvent event) {
        insert(event);
        if (wakeUp != null) {
            wakeUp.afterCommit();
        }
    }

    public void insert(OrderEvent event) {
        jdbc.sql(INSERT.formatted(table))
                .param("id", event.eventId())
                .param("aggregateId", event.orderId().toString())
                .param("type", event.eventType().name())
                .param("payload", json.writeValueAsString(event))
                .param("traceContext", tracing.currentContextColumn())
                .update();
    }

    public void delete(UUID eventId) {
        jdbc.sql(DELETE.formatted(table)).param("id", eventId).update();
    }
}
