package dev.dualwrite.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.testsupport.TestStack;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The claim must look up each candidate's earlier rows by index whatever the planner's statistics say. Here they
 * were taken when every row was published, then 5,000 pending rows arrived — a table that filled up under load
 * before autovacuum analysed it again. On such statistics the former NOT EXISTS became an anti-join whose inner
 * side scanned every pending row per candidate (a "Join Filter"): minutes per claim with 14,000 rows pending.
 * Checked on the plan, not on a stopwatch.
 */
class ClaimQueryPlanIT {

    private static final String TABLE = "claim_plan_outbox";

    private JdbcClient jdbc;

    @BeforeEach
    void tableFilledAfterItsStatisticsWereTaken() {
        StackSettings settings = TestStack.postgres().settings();
        DriverManagerDataSource dataSource =
                new DriverManagerDataSource(settings.jdbcUrl(), settings.username(), settings.password());
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
        // the real table's columns and indexes, partial ones included
        jdbc.sql("CREATE TABLE " + TABLE + " (LIKE outbox_events INCLUDING ALL)")
                .update();
        jdbc.sql("""
                INSERT INTO %s (id, aggregatetype, aggregateid, type, payload, published_at)
                SELECT gen_random_uuid(), 'Order', 'old-' || i, 'OrderCreated', '{}'::jsonb, now()
                  FROM generate_series(1, 20000) i
                """.formatted(TABLE)).update();
        jdbc.sql("ANALYZE " + TABLE).update();
        jdbc.sql("""
                INSERT INTO %s (id, aggregatetype, aggregateid, type, payload)
                SELECT gen_random_uuid(), 'Order', (i %% 2500)::text, 'OrderCreated', '{}'::jsonb
                  FROM generate_series(1, 5000) i
                """.formatted(TABLE)).update();
    }

    @AfterEach
    void dropTable() {
        jdbc.sql("DROP TABLE IF EXISTS " + TABLE).update();
    }

    @Test
    void earlierRowsOfTheSameOrderAreLookedUpByIndexNotScanned() {
        String plan = String.join(
                "\n",
                jdbc.sql("EXPLAIN " + OutboxRepository.CLAIM.formatted(TABLE).replace(":limit", "500"))
                        .query(String.class)
                        .list());

        assertThat(plan).doesNotContain("Anti Join").doesNotContain("Join Filter");
        assertThat(plan)
                .containsPattern("Index (Only )?Scan using \\S+ on " + TABLE + " earlier")
                .containsPattern("Index Cond: .*aggregateid = \\(?e\\.aggregateid");
        assertThat(plan)
                .as("whether a later event follows: looked up by index too")
                .containsPattern("Index (Only )?Scan using \\S+ on " + TABLE + " later");
    }

    @Test
    void onlyTheEarliestUnpublishedRowOfEachOrderIsClaimable() {
        var claimed = new OutboxRepository(jdbc, TABLE).claim(10_000);

        assertThat(claimed).hasSize(2500);
        assertThat(claimed).extracting(PendingEvent::aggregateId).doesNotHaveDuplicates();
        UUID second = jdbc.sql("SELECT id FROM " + TABLE + " WHERE aggregateid = '7' ORDER BY position DESC LIMIT 1")
                .query(UUID.class)
                .single();
        assertThat(claimed).extracting(PendingEvent::id).doesNotContain(second);
        assertThat(claimed)
                .as("every order has a second pending event behind the claimed one")
                .allMatch(PendingEvent::followed);
    }
}
