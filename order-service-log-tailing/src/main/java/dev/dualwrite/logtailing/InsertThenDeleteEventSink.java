package dev.dualwrite.logtailing;

import dev.dualwrite.events.OrderEvent;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.orders.EventTable;
import dev.dualwrite.orders.OrderEventSink;
import dev.dualwrite.tracing.EventTracing;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transaction log tailing: the event row is inserted into cdc_outbox and deleted again, both in the order's
 * transaction. The WAL keeps the insert, which is all Debezium reads (its EventRouter routes it to the topic; the
 * connector's publication does not publish deletes: skipped.operations in register-postgres.json), and the table
 * stays empty: no poller, no clean-up, no bloat. The row's tracingspancontext is
 * read by the EventRouter too: Debezium continues the request's trace in Kafka Connect and puts it on the record.
 */
@Component
class InsertThenDeleteEventSink implements OrderEventSink {

    private final EventTable cdcOutbox;

    InsertThenDeleteEventSink(JdbcClient jdbc, JsonMapper json, EventTracing tracing) {
        this.cdcOutbox = new EventTable(jdbc, json, tracing, Pattern.TRANSACTIONAL_LOG_TAILING.eventTable());
    }

    @Override
    public void append(OrderEvent event) {
        cdcOutbox.insert(event);
        cdcOutbox.delete(event.eventId());
    }
}
