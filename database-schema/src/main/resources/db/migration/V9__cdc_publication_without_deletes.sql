-- Log tailing deletes each cdc_outbox row in the transaction that inserts it. Debezium's connector skips deletes and
-- truncates (register-postgres.json: skipped.operations=d,t) and creates its publication with what it does not skip:
-- publish = 'insert, update' (update: the heartbeat row's upsert). pgoutput then leaves each delete out of what it
-- sends, where it used to send every one to Connect for the EventRouter to drop. Debezium alters an existing
-- publication only when its table list changes, so one it created before this version would go on publishing
-- deletes: this aligns it. Without the publication yet there is nothing to do (the connector creates it); one that
-- another role owns (a DBA's) is left as it is, with a notice: publishing the deletes costs CPU, it loses nothing.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_publication
                WHERE pubname = 'dualwrite_outbox' AND pg_get_userbyid(pubowner) = current_user) THEN
        ALTER PUBLICATION dualwrite_outbox SET (publish = 'insert, update');
    ELSIF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'dualwrite_outbox') THEN
        RAISE NOTICE 'publication dualwrite_outbox belongs to another role: left publishing what it did; '
                     'ALTER PUBLICATION dualwrite_outbox SET (publish = ''insert, update'') as its owner saves Connect '
                     'a delete per log-tailing event';
    END IF;
END
$$;
