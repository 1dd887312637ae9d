-- The peers (docs/peers.md): two order services that hand their events to a library instead of our event tables,
-- judged beside the patterns by the same lab and benchmarks. Their orders are in the shared orders table under their
-- own pattern; their tables are the libraries' own, copied here because this module is the schema's one owner (each
-- library's own schema initialisation is turned off in its service's application.yml).

ALTER TABLE orders DROP CONSTRAINT orders_pattern_check;
ALTER TABLE orders ADD CONSTRAINT orders_pattern_check CHECK (pattern IN (
    'TRANSACTIONAL_OUTBOX', 'LISTEN_TO_YOURSELF', 'TRANSACTIONAL_LOG_TAILING', 'NAIVE_DUAL_WRITE',
    'PEER_NAMASTACK', 'PEER_MODULITH'));

-- namastack-outbox 1.6.0: schema/postgres/outbox-tables.sql of io.namastack:namastack-outbox-jdbc, unchanged.
CREATE TABLE outbox_record
(
    id             VARCHAR(255)             NOT NULL,
    status         VARCHAR(20)              NOT NULL,
    record_key     VARCHAR(255)             NOT NULL,
    record_type    VARCHAR(255)             NOT NULL,
    payload        TEXT                     NOT NULL,
    context        TEXT,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at   TIMESTAMP WITH TIME ZONE,
    failure_count  INT                      NOT NULL,
    failure_reason VARCHAR(1000),
    next_retry_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    partition_no   INTEGER                  NOT NULL,
    handler_id     VARCHAR(1000)            NOT NULL,
    PRIMARY KEY (id)
);

CREATE TABLE outbox_instance
(
    instance_id    VARCHAR(255) PRIMARY KEY,
    hostname       VARCHAR(255)             NOT NULL,
    port           INTEGER                  NOT NULL,
    status         VARCHAR(50)              NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE outbox_partition
(
    partition_number INTEGER PRIMARY KEY,
    instance_id      VARCHAR(255),
    version          BIGINT                   NOT NULL DEFAULT 0,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX idx_outbox_record_record_key_created ON outbox_record (record_key, created_at);
CREATE INDEX idx_outbox_record_partition_status_retry ON outbox_record (partition_no, status, next_retry_at);
CREATE INDEX idx_outbox_record_status_retry ON outbox_record (status, next_retry_at);
CREATE INDEX idx_outbox_record_status ON outbox_record (status);
CREATE INDEX idx_outbox_record_record_key_completed_created ON outbox_record (record_key, completed_at, created_at);
CREATE INDEX idx_outbox_instance_status_heartbeat ON outbox_instance (status, last_heartbeat);
CREATE INDEX idx_outbox_instance_last_heartbeat ON outbox_instance (last_heartbeat);
CREATE INDEX idx_outbox_instance_status ON outbox_instance (status);
CREATE INDEX idx_outbox_partition_instance_id ON outbox_partition (instance_id);

-- Spring Modulith 2.0.3's event publication registry: org/springframework/modulith/events/jdbc/schemas/v2/
-- schema-postgresql.sql of spring-modulith-events-jdbc, unchanged.
CREATE TABLE event_publication
(
  id                     UUID NOT NULL,
  listener_id            TEXT NOT NULL,
  event_type             TEXT NOT NULL,
  serialized_event       TEXT NOT NULL,
  publication_date       TIMESTAMP WITH TIME ZONE NOT NULL,
  completion_date        TIMESTAMP WITH TIME ZONE,
  status                 TEXT,
  completion_attempts    INT,
  last_resubmission_date TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id)
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash(serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);
