package dev.dualwrite.lab;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;

/**
 * One pattern under load, optionally with a process killed (kill -9) halfway: N orders created by concurrent clients,
 * some confirmed, some cancelled; then the database and the topic are compared. Exits 1 on any loss, phantom or
 * reorder.
 *
 * <pre>./lab.sh check --pattern TRANSACTIONAL_OUTBOX --orders 1000 --confirm 300 --cancel 200 --kill outbox-poller-1</pre>
 * {@code --restart true} starts the killed process again three seconds later.
 */
public final class PatternCheck {

    private static final Map<Pattern, String> EVENT_TABLES = Map.of(
            Pattern.TRANSACTIONAL_OUTBOX, "outbox_events",
            Pattern.LISTEN_TO_YOURSELF, "lty_events");

    /** Orders whose downstream view is missing or differs: applied once each, in order, it equals the order. */
    private static final String DOWNSTREAM_MISMATCHES = """
            SELECT count(*) FROM orders o LEFT JOIN consumed_orders c ON c.order_id = o.id
             WHERE o.id = ANY (?)
               AND (c.order_id IS NULL OR c.status <> o.status OR c.version <> o.version OR c.events_applied <> o.version)
            """;

    private PatternCheck() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Pattern pattern = Pattern.valueOf(options.getOrDefault("pattern", "TRANSACTIONAL_OUTBOX"));
        int orders = Integer.parseInt(options.getOrDefault("orders", "1000"));
        int confirms = Integer.parseInt(options.getOrDefault("confirm", "300"));
        int cancels = Integer.parseInt(options.getOrDefault("cancel", "200"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        String kill = options.get("kill");
        boolean restart = Boolean.parseBoolean(options.getOrDefault("restart", "false"));
        Duration settle = Duration.ofSeconds(Long.parseLong(options.getOrDefault("settle-seconds", "120")));

        StackSettings settings = StackSettings.fromEnvironment(
                StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", "."))), System.getenv());
        NativeStack stack = new NativeStack(settings);
        String service = LabRun.SERVICES.get(pattern);
        OrderClient client = new OrderClient(options.getOrDefault("url", Application.WITH_NAIVE.stream()
                .filter(application -> application.name().equals(service)).findFirst().orElseThrow().url(settings)));

        System.out.printf("%s: creating %d orders with %d clients, then confirming %d and cancelling %d%s%n",
                pattern, orders, clients, confirms, cancels, kill == null ? "" : "; kill -9 " + kill + " halfway");
        long started = System.nanoTime();
        List<UUID> created = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String customer = "lab-customer-" + i;
            work.add(pool.submit(() -> {
                created.add(client.create(customer));
                if (done.incrementAndGet() == orders / 2 && kill != null) {
                    long pid = stack.kill(kill);
                    System.out.printf("  kill -9 %s (pid %d) after %d creates%n", kill, pid, orders / 2);
                    if (restart) {
                        restart(stack, kill);
                    }
                }
            }));
        }
        awaitAll(work);
        List<UUID> ids = new ArrayList<>(created);
        Collections.shuffle(ids);
        work.clear();
        for (int i = 0; i < Math.min(confirms, ids.size()); i++) {
            UUID id = ids.get(i);
            work.add(pool.submit(() -> client.change(id, "confirm")));
        }
        awaitAll(work);
        work.clear();
        // Half of the cancels hit confirmed orders, half pending ones: both transitions of the lifecycle.
        for (int i = 0; i < Math.min(cancels, ids.size()); i++) {
            UUID id = i % 2 == 0 && i / 2 < confirms ? ids.get(i / 2) : ids.get(confirms + i);
            work.add(pool.submit(() -> client.change(id, "cancel")));
        }
        awaitAll(work);
        pool.shutdown();
        System.out.printf("  workload done in %.1f s%n", (System.nanoTime() - started) / 1e9);

        boolean selfConfirmed = true;
        if (pattern == Pattern.LISTEN_TO_YOURSELF) {
            selfConfirmed = awaitSelfConfirmation(settings, created, started, settle);
        }
        Map<UUID, Integer> versions = committedVersions(settings, created);
        TopicReader reader = new TopicReader(settings.bootstrapServers());
        Verdict verdict = Verdict.of(versions, ofThisRun(reader.readAll(pattern.topic()), versions));
        long deadline = System.nanoTime() + settle.toNanos();
        while ((verdict.lost() > 0 || backlog(settings, pattern) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            verdict = Verdict.of(versions, ofThisRun(reader.readAll(pattern.topic()), versions));
        }
        long mismatches;
        while ((mismatches = count(settings, DOWNSTREAM_MISMATCHES, created)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        long backlog = backlog(settings, pattern);
        System.out.printf("  settled %.1f s after start; relay backlog %s%n", (System.nanoTime() - started) / 1e9,
                EVENT_TABLES.containsKey(pattern) ? Long.toString(backlog) : "n/a (no relay table)");
        System.out.printf("%-26s %9s %8s %6s %5s %8s %13s %9s %9s%n", "pattern", "committed", "expected", "found",
                "lost", "phantom", "dup-on-topic", "reorders", "wrong-key");
        System.out.printf("%-26s %9d %8d %6d %5d %8d %13d %9d %9d%n", pattern, verdict.committed(),
                verdict.expectedEvents(), verdict.found(), verdict.lost(), verdict.phantom(),
                verdict.duplicatesOnTopic(), verdict.reorders(), verdict.wrongKey());
        verdict.examples().forEach(example -> System.out.println("  " + example));
        System.out.printf("  downstream (order-consumer) mismatches: %d of %d orders differ from consumed_orders in "
                + "status, version or events applied%n", mismatches, created.size());
        if (pattern == Pattern.LISTEN_TO_YOURSELF) {
            long processed = processedEvents(settings, created);
            long distinct = verdict.found();
            System.out.printf("  processed_events rows for these orders: %d, distinct events on the topic: %d%n",
                    processed, distinct);
            selfConfirmed &= processed == distinct;
        }
        boolean ok = verdict.clean() && backlog == 0 && verdict.committed() == orders && selfConfirmed && mismatches == 0;
        System.out.println(ok ? "OK: nothing lost, nothing reordered" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    /** Starts a killed component again, in the background, a few seconds later: the work goes on meanwhile. */
    private static void restart(NativeStack stack, String component) {
        Thread restarter = new Thread(() -> {
            try {
                Thread.sleep(3000);
                switch (component) {
                    case "postgres" -> stack.startPostgres(line -> System.out.println("  restarted " + line));
                    case "kafka" -> stack.startKafka(line -> System.out.println("  restarted " + line));
                    case "connect" -> stack.startConnect(line -> System.out.println("  restarted " + line));
                    default -> stack.startApplications(Application.ALL.stream()
                            .filter(application -> application.name().equals(component)).toList(),
                            line -> System.out.println("  restarted " + line));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "restart-" + component);
        restarter.start();
    }

    private static List<TopicRecord> ofThisRun(List<TopicRecord> records, Map<UUID, Integer> versions) {
        return records.stream().filter(record -> versions.containsKey(record.orderId())).toList();
    }

    private static Map<UUID, Integer> committedVersions(StackSettings settings, List<UUID> ids) throws SQLException {
        Map<UUID, Integer> versions = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             PreparedStatement query = connection.prepareStatement("SELECT id, version FROM orders WHERE id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getObject(1, UUID.class), rows.getInt(2));
                }
            }
        }
        return versions;
    }

    /** Listen to yourself: waits until none of the orders is PENDING any more, and says how long that took. */
    private static boolean awaitSelfConfirmation(StackSettings settings, List<UUID> ids, long started, Duration settle)
            throws Exception {
        long deadline = System.nanoTime() + settle.toNanos();
        long pending;
        while ((pending = count(settings, "SELECT count(*) FROM orders WHERE status = 'PENDING' AND id = ANY (?)", ids)) > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.out.printf("  %s %.1f s after the first create (still PENDING: %d)%n",
                pending == 0 ? "every order left PENDING" : "gave up waiting", (System.nanoTime() - started) / 1e9, pending);
        return pending == 0;
    }

    private static long processedEvents(StackSettings settings, List<UUID> ids) throws SQLException {
        return count(settings, """
                SELECT count(*) FROM processed_events p JOIN lty_events e ON e.id = p.event_id
                 WHERE p.consumer = 'order-service-listen-to-yourself' AND e.aggregateid = ANY (?)
                """, ids.stream().map(UUID::toString).toList());
    }

    private static long count(StackSettings settings, String sql, List<?> ids) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             PreparedStatement query = connection.prepareStatement(sql)) {
            String type = ids.isEmpty() || ids.get(0) instanceof UUID ? "uuid" : "text";
            query.setArray(1, connection.createArrayOf(type, ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long backlog(StackSettings settings, Pattern pattern) throws SQLException {
        String table = EVENT_TABLES.get(pattern);
        if (table == null) {
            return 0;
        }
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM " + table + " WHERE published_at IS NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void awaitAll(List<Future<?>> work) throws Exception {
        for (Future<?> future : work) {
            future.get();
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
