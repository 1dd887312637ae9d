package dev.dualwrite.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.stack.StackSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The write path's physical limit beside the services: PostgreSQL committing an order-sized transaction — the order row
 * and its item row in one statement, as every service writes them, into tables shaped like orders and order_items —
 * from N JDBC threads in closed loops, with no HTTP, no Spring and no event. No service can commit orders faster on
 * this machine.
 */
final class CommitCeiling implements AutoCloseable {

    static final String NAME = "CEILING_JDBC_COMMIT";

    /* The statement order-service-core's OrderRepository sends: the order and its items in one data-modifying CTE. */
    private static final String INSERT_ORDER = """
            WITH placed AS (
                INSERT INTO bench_orders (id, pattern, customer_id, status, currency, total_amount, version,
                                          created_at, updated_at)
                VALUES (?, 'NAIVE_DUAL_WRITE', 'bench-ceiling', 'PENDING', 'EUR', 19.90, 1, now(), now())
            )
            INSERT INTO bench_order_items (order_id, line_no, sku, quantity, unit_price)
            SELECT ?, line.n - 1, line.sku, line.quantity, line.unit_price
            FROM unnest(ARRAY['bench']::varchar[], ARRAY[2], ARRAY[9.95]) WITH ORDINALITY
                 AS line (sku, quantity, unit_price, n)
            """;

    private final HikariDataSource dataSource = new HikariDataSource();
    private final JdbcClient jdbc;

    CommitCeiling(StackSettings settings, int maxConcurrency) {
        dataSource.setJdbcUrl(settings.jdbcUrl());
        dataSource.setUsername(settings.username());
        dataSource.setPassword(settings.password());
        dataSource.setMaximumPoolSize(maxConcurrency);
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("DROP TABLE IF EXISTS bench_order_items, bench_orders").update();
        jdbc.sql("CREATE TABLE bench_orders (LIKE orders INCLUDING ALL)").update();
        jdbc.sql("CREATE TABLE bench_order_items (LIKE order_items INCLUDING ALL)")
                .update();
        // LIKE copies no foreign key; the services pay for order_items' check, so the ceiling does too.
        jdbc.sql("ALTER TABLE bench_order_items ADD FOREIGN KEY (order_id) REFERENCES bench_orders (id)")
                .update();
    }

    /** Order transactions committed per second by {@code concurrency} threads over {@code length}. */
    double ordersPerSecond(int concurrency, Duration length) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        List<Future<Long>> committed = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            committed.add(threads.submit(() -> commitWhile(running)));
        }
        try {
            Thread.sleep(length.toMillis());
            running.set(false);
            long total = 0;
            for (Future<Long> thread : committed) {
                total += thread.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            running.set(false);
            threads.shutdown();
        }
    }

    private long commitWhile(AtomicBoolean running) throws SQLException {
        long committed = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement order = connection.prepareStatement(INSERT_ORDER)) {
            connection.setAutoCommit(false);
            while (running.get()) {
                UUID id = UUID.randomUUID();
                order.setObject(1, id);
                order.setObject(2, id);
                order.executeUpdate();
                connection.commit();
                committed++;
            }
        }
        return committed;
    }

    @Override
    public void close() {
        jdbc.sql("DROP TABLE IF EXISTS bench_order_items, bench_orders").update();
        dataSource.close();
    }
}
