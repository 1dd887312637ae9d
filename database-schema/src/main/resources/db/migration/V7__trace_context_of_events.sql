-- The trace an event belongs to, written with the event in the order's transaction: the W3C trace context of the
-- request (or of the consumed record, for listen-to-yourself's self-confirmation) as java.util.Properties text
-- ("traceparent=00-<trace id>-<span id>-<flags>", a "tracestate=" line when there is one). The name and format are
-- Debezium's (its EventRouter reads this column for log tailing); the relays read the same column. Null for rows
-- written before tracing, or by a writer that has none: their records start a trace of their own.
ALTER TABLE outbox_events ADD COLUMN tracingspancontext text;
ALTER TABLE lty_events ADD COLUMN tracingspancontext text;
ALTER TABLE cdc_outbox ADD COLUMN tracingspancontext text;

-- Log tailing's records carry the CloudEvents attributes as headers like the relays' records; Debezium's EventRouter
-- places them from columns. The spec version is a constant, but Kafka Connect's InsertHeader would parse the literal
-- "1.0" into the number 1, so it is a column whose default every insert takes (a few bytes of WAL per event).
ALTER TABLE cdc_outbox ADD COLUMN ce_specversion varchar(8) NOT NULL DEFAULT '1.0';
