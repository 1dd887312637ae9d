-- The consistency lab's evidence of duplicate effects: one row per effect a consumer applied, written in the
-- effect's transaction by the lab's consumer hook (lab-hooks, "lab" profile only; production never writes here).
-- No key on purpose: two rows for one (consumer, event_id) are an effect applied twice, whatever the idempotency table
-- and order-consumer's version gate meant to prevent — evidence that relies on neither.
CREATE TABLE lab_effect_log (
    consumer   varchar(100) NOT NULL,
    event_id   uuid         NOT NULL,
    order_id   uuid         NOT NULL,
    version    integer      NOT NULL,
    applied_at timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX lab_effect_log_order_idx ON lab_effect_log (order_id);
