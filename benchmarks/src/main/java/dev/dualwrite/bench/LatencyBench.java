package dev.dualwrite.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.StackSettings;

/**
 * End-to-end latency, order committed → applied by order-consumer, per pattern: an open-loop client creates orders at a
 * fixed rate for a while (requests are sent on schedule, whether or not earlier ones have answered), then the
 * percentiles of {@code consumed_orders.applied_at − last_event_occurred_at} are read for those orders. The achieved
 * rate is reported beside the target: on a small machine the target may not be reached.
 */
public final class LatencyBench {

    private static final Map<Pattern, String> SERVICES = Map.of(
            Pattern.TRANSACTIONAL_OUTBOX, "http://127.0.0.1:8081",
            Pattern.LISTEN_TO_YOURSELF, "http://127.0.0.1:8082",
            Pattern.TRANSACTIONAL_LOG_TAILING, "http://127.0.0.1:8084");

    private static final String PERCENTILES = """
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
              FROM (SELECT extract(epoch FROM c.applied_at - c.last_event_occurred_at) * 1000 AS ms
                      FROM consumed_orders c JOIN orders o ON o.id = c.order_id
                     WHERE o.customer_id LIKE ?) latencies
            """;

    private final StackSettings settings;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(64)).build();

    LatencyBench(StackSettings settings) {
        this.settings = settings;
    }

    /** {@code seconds rate...} e.g. {@code 60 200 1000} */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<Integer> rates = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            rates.add(Integer.parseInt(args[i]));
        }
        if (rates.isEmpty()) {
            rates = List.of(200, 1000);
        }
        StackSettings settings = StackSettings.fromEnvironment(
                StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", "."))), System.getenv());
        LatencyBench bench = new LatencyBench(settings);
        System.out.printf("%-26s %7s %9s %7s %8s %8s %8s %8s%n", "pattern", "target", "achieved", "orders",
                "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (int rate : rates) {
            for (Pattern pattern : SERVICES.keySet().stream().sorted().toList()) {
                Map<String, Double> result = bench.measure(pattern, rate, Duration.ofSeconds(seconds));
                System.out.printf("%-26s %7d %9.0f %7.0f %8.1f %8.1f %8.1f %8.1f%n", pattern, rate, result.get("achieved"),
                        result.get("orders"), result.get("p50Ms"), result.get("p95Ms"), result.get("p99Ms"),
                        result.get("maxMs"));
            }
        }
        System.exit(0);
    }

    Map<String, Double> measure(Pattern pattern, int rate, Duration length) throws Exception {
        String run = "latency-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int total = (int) (rate * length.toSeconds());
        AtomicInteger created = new AtomicInteger();
        List<CompletableFuture<?>> requests = new ArrayList<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicInteger sent = new AtomicInteger();
        var ticker = clock.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            if (i >= total) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(SERVICES.get(pattern) + "/api/orders"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"customerId": "%s%d", "currency": "EUR", "items": [{"sku": "b", "quantity": 1, "unitPrice": 5}]}
                            """.formatted(run, i))).build();
            synchronized (requests) {
                requests.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
                    if (response.statusCode() == 201) {
                        created.incrementAndGet();
                    }
                }));
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (sent.get() < total) {
            Thread.sleep(50);
        }
        ticker.cancel(false);
        clock.shutdown();
        synchronized (requests) {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
        }
        double achieved = created.get() / ((System.nanoTime() - start) / 1e9);
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("achieved", achieved);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            double[] row = percentiles(run);
            result.put("orders", row[0]);
            result.put("p50Ms", row[1]);
            result.put("p95Ms", row[2]);
            result.put("p99Ms", row[3]);
            result.put("maxMs", row[4]);
            if (row[0] >= created.get()) {
                break;
            }
            Thread.sleep(500);
        }
        return result;
    }

    private double[] percentiles(String run) throws Exception {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             PreparedStatement query = connection.prepareStatement(PERCENTILES)) {
            query.setString(1, run + "%");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new double[] {rows.getLong(1), rows.getDouble(2), rows.getDouble(3), rows.getDouble(4), rows.getDouble(5)};
            }
        }
    }
}
