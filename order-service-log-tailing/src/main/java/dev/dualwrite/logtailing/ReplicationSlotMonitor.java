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
 * Watches the Debezium connector's replication slot: PostgreSQL keeps every byte of WAL the slot has not confirmed,
 * so a stopped or stuck connector slowly fills the disk. Exposes the retained WAL as the gauge
 * {@code cdc.slot.retained.wal} (bytes) and as the {@code replicationSlot} health detail; DOWN above the limit.
 */
@Component("replicationSlot")
class ReplicationSlotMonitor implements HealthIndicator {

    private static final String SLOT = """
            SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS retained
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
                .description("WAL PostgreSQL keeps for the Debezium replication slot")
                .baseUnit("bytes")
                .tag("slot", properties.slotName())
                .register(meters);
    }

    @Override
    public Health health() {
        return slot().map(slot -> (slot.retainedBytes()
                                        > properties.maxRetainedWal().toBytes()
                                ? Health.down()
                                : Health.up())
                        .withDetail("slot", properties.slotName())
                        .withDetail("active", slot.active())
                        .withDetail("retainedWalBytes", slot.retainedBytes())
                        .withDetail(
                                "maxRetainedWalBytes",
                                properties.maxRetainedWal().toBytes())
                        .build())
                .orElseGet(() -> Health.unknown()
                        .withDetail("slot", properties.slotName())
                        .withDetail("hint", "the connector is not registered: debezium/connector.sh register")
                        .build());
    }

    private Optional<Slot> slot() {
        return jdbc.sql(SLOT)
                .param("slot", properties.slotName())
                .query((rs, row) -> new Slot(rs.getBoolean("active"), rs.getLong("retained")))
                .optional();
    }

    private record Slot(boolean active, long retainedBytes) {}

    /**
     * @param slotName       the slot of debezium/register-postgres.json
     * @param maxRetainedWal above this the service reports DOWN: the connector is not keeping up or not running
     */
    @ConfigurationProperties("cdc")
    record CdcProperties(
            @DefaultValue("dualwrite_outbox") String slotName,
            @DefaultValue("1GB") DataSize maxRetainedWal) {}
}
