-- The shared schema of all patterns (see DESIGN.md). One migration set, one owner: this module.

CREATE TABLE orders (
    id              uuid          PRIMARY KEY,
    pattern         varchar(32)   NOT NULL CHECK (pattern IN ('TRANSACTIONAL_OUTBOX', 'LISTEN_TO_YOURSELF',
                                                              'TRANSACTIONAL_LOG_TAILING', 'NAIVE_DUAL_WRITE')),
    customer_id     varchar(100)  NOT NULL,
    status          varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    currency        char(3)       NOT NULL,
    total_amount    numeric(19,2) NOT NULL CHECK (total_amount >= 0),
    version         integer       NOT NULL CHECK (version >= 1),
    -- A client's Idempotency-Key is unique within one service (pattern): four services share this table.
    idempotency_key varchar(200),
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    CONSTRAINT orders_idempotency_key_uk UNIQUE (pattern, idempotency_key)
);

CREATE INDEX orders_pattern_created_at_idx ON orders (pattern, created_at DESC);

CREATE TABLE order_items (
    order_id   uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    integer       NOT NULL,
    sku        varchar(100)  NOT NULL,
    quantity   integer       NOT NULL CHECK (quantity > 0),
    unit_price numeric(19,2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, line_no)
);

-- Relay tables: the Debezium outbox columns, plus what a polling relay needs. "position" orders the rows as they
-- were committed per order (an order's changes are serialized by its row lock), so relaying in position order
-- keeps each order's versions in order.
CREATE TABLE outbox_events (
    id            uuid         PRIMARY KEY,
    aggregatetype varchar(64)  NOT NULL,
    aggregateid   varchar(64)  NOT NULL,
    type          varchar(64)  NOT NULL,
    payload       jsonb        NOT NULL,
    position      bigint       GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer      NOT NULL DEFAULT 0,
    last_error    text,
    parked_at     timestamptz
);

CREATE INDEX outbox_events_pending_idx ON outbox_events (position) WHERE published_at IS NULL AND parked_at IS NULL;

-- Listen to yourself: the same shape as outbox_events, relayed by the same library.
CREATE TABLE lty_events (LIKE outbox_events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS);
ALTER TABLE lty_events ADD PRIMARY KEY (id);
ALTER TABLE lty_events ADD CONSTRAINT lty_events_position_uk UNIQUE (position);
CREATE INDEX lty_events_pending_idx ON lty_events (position) WHERE published_at IS NULL AND parked_at IS NULL;

-- Read by Debezium from the WAL, not by a relay: rows may be deleted in the transaction that inserts them.
CREATE TABLE cdc_outbox (
    id            uuid        PRIMARY KEY,
    aggregatetype varchar(64) NOT NULL,
    aggregateid   varchar(64) NOT NULL,
    type          varchar(64) NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The idempotency table of every consumer: INSERT first, in the transaction of the effect; a duplicate key means
-- the event was handled already.
CREATE TABLE processed_events (
    consumer     varchar(100) NOT NULL,
    event_id     uuid         NOT NULL,
    processed_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- order-consumer's downstream view of every order.
CREATE TABLE consumed_orders (
    order_id               uuid        PRIMARY KEY,
    pattern                varchar(32) NOT NULL,
    status                 varchar(16) NOT NULL,
    version                integer     NOT NULL,
    events_applied         integer     NOT NULL,
    last_event_id          uuid        NOT NULL,
    last_event_occurred_at timestamptz NOT NULL,
    applied_at             timestamptz NOT NULL
);
