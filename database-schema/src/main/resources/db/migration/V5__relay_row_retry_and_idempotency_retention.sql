-- A row that fails on its own (the relay saw Kafka take other records meanwhile) is retried on its own schedule:
-- next_attempt_at holds it (and so its order's later events) back while every other order keeps flowing. It is parked
-- only after relay.max-attempts attempts spread over at least relay.park-after since first_failed_at. A failure of
-- Kafka or of the topic as a whole writes none of these: it is not the row's.
ALTER TABLE outbox_events
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN first_failed_at timestamptz,
    ADD COLUMN last_failed_at  timestamptz;
ALTER TABLE lty_events
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN first_failed_at timestamptz,
    ADD COLUMN last_failed_at  timestamptz;

-- Consumers delete idempotency records older than their retention, oldest first, in batches. A plain CREATE INDEX
-- blocks writes to the table while it is built: where processed_events is already large, build it by hand first with
-- CREATE INDEX CONCURRENTLY processed_events_processed_at_idx ON processed_events (processed_at); this then does
-- nothing. (Not CONCURRENTLY here: it cannot run in Flyway's transaction, and it would wait on the other
-- applications' migrations that wait on it.)
CREATE INDEX IF NOT EXISTS processed_events_processed_at_idx ON processed_events (processed_at);
