-- Written by Debezium's heartbeat.action.query. It is in the connector's publication, so even while cdc_outbox is
-- quiet and other tables fill the WAL, the connector receives a change now and then, confirms its position, and the
-- replication slot lets PostgreSQL recycle the WAL behind it.
CREATE TABLE debezium_heartbeat (
    id      integer     PRIMARY KEY,
    beat_at timestamptz NOT NULL
);
