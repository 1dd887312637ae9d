package dev.dualwrite.orders;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.dualwrite.events.OrderEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends an order's event to the pattern's event table, inside the caller's transaction. The columns are Debezium's
 * outbox columns; the payload is the event record itself, so relays and Debezium's EventRouter put it on the topic
 * unchanged.
 */
public class EventTable implements OrderEventSink {

    private static final String INSERT = """
            INSERT INTO %s (id, aggregatetype, aggregateid, type, payload)
            VALUES (:id, 'Order', :aggregateId, :type, CAST(:payload AS jsonb))
            """;

    private static final String DELETE = """
            DELETE FROM %s WHERE id = :id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final OrdersProperties properties;

    public EventTable(JdbcClient jdbc, JsonMapper json, OrdersProperties properties) {
        if (properties.eventTable() == null || !properties.eventTable().matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("orders.event-table must be a plain lower-case table name, was: "
                    + properties.eventTable());
        }
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public void append(OrderEvent event) {
        UUID id = event.eventId();
        jdbc.sql(INSERT.formatted(properties.eventTable()))
                .param("id", id)
                .param("aggregateId", event.orderId().toString())
                .param("type", event.eventType().name())
                .param("payload", json.writeValueAsString(event))
                .update();
        if (properties.deleteEventAfterInsert()) {
            jdbc.sql(DELETE.formatted(properties.eventTable())).param("id", id).update();
        }
    }
}
