package dev.dualwrite.logtailing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Watches the Debezium connector's replication slot. PostgreSQL keeps the WAL from the slot's {@code restart_lsn} —
 * not from {@code confirmed_flush_lsn}: a long-running transaction holds {@code restart_lsn} back while the connector
 * keeps confirming — so a stopped or stuck connector, or a transaction left open, slowly fills the disk until
 * {@code max_slot_wal_keep_size} invalidates the slot. Exposes the WAL retained from {@code restart_lsn} as the gauge
 * {@code cdc.slot.retained.wal} (bytes) beside {@code cdc.slot.lost}, and in the {@code replicationSlot} health: DOWN above
 * {@code cdc.max-retained-wal}, and DOWN when PostgreSQL reports the slot {@code unreserved} (about to lose WAL) or
 * {@code lost} (invalidated: the connector cannot resume; README, "When the slot is invalidated").
 */
@Component("replicationSlot")
class ReplicationSlotMonitor implements HealthIndicator {

    private static final String SLOT = """
            SELECT active,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS unconfirmed,
                   wal_status,
                   safe_wal_size
              FROM pg_replication_slots WHERE slot_name = :slot
            """;

    private final JdbcClient jdbc;
    private final CdcProperties properties;

    ReplicationSlotMonitor(JdbcClient jdbc, CdcProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        Gauge.builder(
                        "cdc.slot.retained.wal",
                        this,
                        monitor -> monitor.slot().map(Slot::retainedBytes).orElse(0L))
                .description("WAL PostgreSQL keeps for the Debezium replication slot (from its restart_lsn)")
                .baseUnit("bytes")
                .tag("slot", properties.slotName())
                .register(meters);
        // A lost slot has no restart_lsn, so the gauge above reads 0 just when things are worst: this one says so.
        Gauge.builder(
                        "cdc.slot.lost",
                        this,
                        monitor -> monitor.slot()
                                .map(slot -> "lost".equals(slot.walStatus()) ? 1.0 : 0.0)
                                .orElse(0.0))
                .description("1 when PostgreSQL has invalidated the slot (max_slot_wal_keep_size): the connector"
                        + " cannot resume from it")
                .tag("slot", properties.slotName())
                .register(meters);
    }

    @Override
    public Health health() {
        return slot().map(this::health)
                .orElseGet(() -> Health.unknown()
                        .withDetail("slot", properties.slotName())
                        .withDetail("hint", "the connector is not registered: debezium/connector.sh register")
                        .build());
    }

    private Health health(Slot slot) {
        boolean losing = "unreserved".equals(slot.walStatus()) || "lost".equals(slot.walStatus());
        Health.Builder health =
                losing || slot.retainedBytes() > properties.maxRetainedWal().toBytes() ? Health.down() : Health.up();
        health.withDetail("slot", properties.slotName())
                .withDetail("active", slot.active())
                .withDetail("retainedWalBytes", slot.retainedBytes())
                .withDetail("unconfirmedWalBytes", slot.unconfirmedBytes())
                .withDetail("maxRetainedWalBytes", properties.maxRetainedWal().toBytes())
                .withDetail("walStatus", slot.walStatus());
        if (slot.safeWalSize() != null) {
            health.withDetail("safeWalSizeBytes", slot.safeWalSize());
        }
        if ("lost".equals(slot.walStatus())) {
            health.withDetail(
                    "hint",
                    "PostgreSQL invalidated the slot (max_slot_wal_keep_size): events written since its restart_lsn "
                            + "are lost to the connector; delete and re-register it (debezium/connector.sh), "
                            + "see the README");
        }
        return health.build();
    }

    private Optional<Slot> slot() {
        return jdbc.sql(SLOT)
                .param("slot", properties.slotName())
                .query((rs, row) -> new Slot(
                        rs.getBoolean("active"),
                        rs.getLong("retained"),
                        rs.getLong("unconfirmed"),
                        rs.getString("wal_status"),
                        rs.getObject("safe_wal_size", Long.class)))
                .optional();
    }

    /**
     * @param retainedBytes    WAL from restart_lsn to now: what the slot makes PostgreSQL keep
     * @param unconfirmedBytes WAL from confirmed_flush_lsn to now: what the connector has yet to confirm
     * @param walStatus        reserved, extended, unreserved or lost (pg_replication_slots)
     * @param safeWalSize      bytes that can still be written before the slot is in danger of being invalidated
     *                         (null without max_slot_wal_keep_size)
     */
    private record Slot(
            boolean active, long retainedBytes, long unconfirmedBytes, String walStatus, Long safeWalSize) {}

    /**
     * @param slotName       the slot of debezium/register-postgres.json
     * @param maxRetainedWal above this the service reports DOWN: the connector is not keeping up or not running, or
     *                       a transaction stays open
     */
    @ConfigurationProperties("cdc")
    record CdcProperties(
            @DefaultValue("dualwrite_outbox") String slotName,
            @DefaultValue("1GB") DataSize maxRetainedWal) {}
}
