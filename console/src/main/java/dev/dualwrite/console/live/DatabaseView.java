package dev.dualwrite.console.live;

import dev.dualwrite.console.ConsoleProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the database says about each route, read directly rather than from the relays' gauges: with both pollers of a
 * pattern killed their gauges are gone, and that is just when the backlog matters.
 */
@Component
class DatabaseView {

    private static final Logger log = LoggerFactory.getLogger(DatabaseView.class);

    /** The relays' own definition of pending (the partial index {@code *_pending_idx}) and of parked. */
    private static final String EVENT_TABLE = """
            SELECT (SELECT count(*) FROM %1$s WHERE published_at IS NULL AND parked_at IS NULL) AS backlog,
                   (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
                      FROM %1$s WHERE published_at IS NULL AND parked_at IS NULL) AS oldest,
                   (SELECT count(*) FROM %1$s WHERE parked_at IS NOT NULL AND published_at IS NULL) AS parked
            """;

    /**
     * PostgreSQL keeps the WAL from the slot's {@code restart_lsn}; what the connector has not confirmed yet is its
     * backlog (the log-tailing service's {@code replicationSlot} health reads the same).
     */
    private static final String SLOT = """
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS unconfirmed
              FROM pg_replication_slots WHERE slot_name = :slot
            """;

    record EventTable(long backlog, double oldestPendingSeconds, long parked) {}

    record Slot(long retainedBytes, long unconfirmedBytes) {}

    private final JdbcClient jdbc;
    private final ConsoleProperties properties;

    DatabaseView(JdbcClient jdbc, ConsoleProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Empty when the database does not answer (the page shows PostgreSQL down). */
    Optional<EventTable> eventTable(String table) {
        try {
            return Optional.of(jdbc.sql(EVENT_TABLE.formatted(table))
                    .query((rs, row) ->
                            new EventTable(rs.getLong("backlog"), rs.getDouble("oldest"), rs.getLong("parked")))
                    .single());
        } catch (RuntimeException e) {
            log.debug("{} not read: {}", table, e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Slot> slot() {
        try {
            return jdbc.sql(SLOT)
                    .param("slot", properties.slot())
                    .query((rs, row) -> new Slot(rs.getLong("retained"), rs.getLong("unconfirmed")))
                    .optional();
        } catch (RuntimeException e) {
            log.debug("slot not read: {}", e.getMessage());
            return Optional.empty();
        }
    }

    boolean up() {
        try {
            return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
