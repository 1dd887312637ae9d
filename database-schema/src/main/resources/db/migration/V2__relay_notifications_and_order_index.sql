-- Wakes the relays as soon as a transaction that wrote events commits (NOTIFY is delivered at commit), so publish
-- latency does not depend on the poll interval. One notification per statement; PostgreSQL folds repeats within a
-- transaction into one.
CREATE FUNCTION notify_relay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_NAME, '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_relay();
CREATE TRIGGER lty_events_notify AFTER INSERT ON lty_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_relay();

-- The relay claims an event only when no earlier event of the same order is still unpublished.
CREATE INDEX outbox_events_unpublished_by_order_idx ON outbox_events (aggregateid, position) WHERE published_at IS NULL;
CREATE INDEX lty_events_unpublished_by_order_idx ON lty_events (aggregateid, position) WHERE published_at IS NULL;
-- Retention deletes published rows oldest first.
CREATE INDEX outbox_events_published_at_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX lty_events_published_at_idx ON lty_events (published_at) WHERE published_at IS NOT NULL;
