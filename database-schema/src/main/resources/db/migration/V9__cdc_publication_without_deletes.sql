-- Log tailing deletes each cdc_outbox row in the transaction that inserts it. Debezium's connector now skips deletes
-- and truncates (register-postgres.json: skipped.operations=d,t), and creates its publication with what it does not
-- skip: publish = 'insert, update' (update: the heartbeat row's upsert). PostgreSQL then filters the deletes out while
-- decoding, instead of sending every one to Connect to be dropped there by the EventRouter. Debezium creates the
-- publication once and later changes only its table list, so a publication it created before this version keeps
-- publishing deletes: this aligns it. (Without the publication yet, there is nothing to do: the connector creates it.)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'dualwrite_outbox') THEN
        ALTER PUBLICATION dualwrite_outbox SET (publish = 'insert, update');
    END IF;
END
$$;
