package dev.dualwrite.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.testsupport.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsIT {

    private final StackSettings stack = TestStack.postgres().settings();

    @Test
    void migratesOnceWhenSeveralApplicationsStartAtOnce() throws Exception {
        String url = freshDatabase();
        ExecutorService starts = Executors.newFixedThreadPool(6);
        try {
            List<Callable<MigrateResult>> applications = IntStream.range(0, 6)
                    .<Callable<MigrateResult>>mapToObj(i -> () -> flyway(url).migrate())
                    .toList();
            List<MigrateResult> results = starts.invokeAll(applications).stream()
                    .map(MigrationsIT::get)
                    .toList();

            assertThat(results).allSatisfy(result -> assertThat(result.success).isTrue());
            assertThat(results.stream()
                            .mapToInt(result -> result.migrationsExecuted)
                            .sum())
                    .as("each migration is applied by exactly one of the starting applications")
                    .isEqualTo(flyway(url).info().applied().length);
            assertThat(flyway(url).validateWithResult().validationSuccessful).isTrue();
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void refusesASecondOrderWithTheSameIdempotencyKeyInOneServiceButNotAcrossServices() throws Exception {
        String url = freshDatabase();
        flyway(url).migrate();
        try (Connection connection = DriverManager.getConnection(url, stack.username(), stack.password());
                Statement statement = connection.createStatement()) {
            statement.execute(insertOrder("TRANSACTIONAL_OUTBOX", "key-1"));
            statement.execute(insertOrder("LISTEN_TO_YOURSELF", "key-1"));

            assertThatThrownBy(() -> statement.execute(insertOrder("TRANSACTIONAL_OUTBOX", "key-1")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("orders_idempotency_key_uk");
        }
    }

    @Test
    void treatsASecondDeliveryOfAnEventToOneConsumerAsADuplicateKey() throws Exception {
        String url = freshDatabase();
        flyway(url).migrate();
        UUID eventId = UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(url, stack.username(), stack.password());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO processed_events (consumer, event_id) VALUES ('order-consumer', '%s')"
                    .formatted(eventId));
            statement.execute("INSERT INTO processed_events (consumer, event_id) VALUES ('lty-service', '%s')"
                    .formatted(eventId));

            assertThatThrownBy(() -> statement.execute(
                            "INSERT INTO processed_events (consumer, event_id) VALUES ('order-consumer', '%s')"
                                    .formatted(eventId)))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("processed_events_pkey");
        }
    }

    private static String insertOrder(String pattern, String idempotencyKey) {
        return """
                INSERT INTO orders (id, pattern, customer_id, status, currency, total_amount, version,
                                    idempotency_key, created_at, updated_at)
                VALUES ('%s', '%s', 'c-1', 'PENDING', 'EUR', 10.00, 1, '%s', now(), now())
                """.formatted(UUID.randomUUID(), pattern, idempotencyKey);
    }

    private Flyway flyway(String url) {
        return Flyway.configure()
                .dataSource(url, stack.username(), stack.password())
                .load();
    }

    private String freshDatabase() throws SQLException {
        String name = "schema_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(stack.jdbcUrl(), stack.username(), stack.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return stack.jdbcUrl().replace("/" + stack.database(), "/" + name);
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError("a concurrent migration failed", e);
        }
    }
}
