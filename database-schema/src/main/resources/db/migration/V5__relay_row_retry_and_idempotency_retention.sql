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

-- Consumers delete idempotency records older than their retention, oldest first, in batches.
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
