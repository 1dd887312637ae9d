package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * End-to-end latency, order committed → applied by order-consumer, per pattern: an open-loop client sends creates on
 * a fixed schedule, whether or not earlier ones have answered, for a fixed time; then the percentiles of
 * {@code consumed_orders.applied_at − last_event_occurred_at} (stamped by clocks of the one host) are read for
 * those orders. The naive dual write — commit, then send straight to Kafka — is the baseline: no relay, nothing
 * between the commit and the send.
 * <p>
 * The client is {@link OpenLoop}: the achieved rate, printed beside the target, is what the service sustained.
 */
final class LatencyBench {

    /**
     * @param relayP50Ms for the polled patterns, the part of the way spent in the relay table: the event row's
     *                   {@code published_at − created_at} (NaN where there is no such row)
     */
    record Result(
            String pattern,
            int targetRate,
            double achievedRate,
            long created,
            long orders,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double maxMs,
            double relayP50Ms,
            double relayP99Ms) {}

    private static final String RELAY_PERCENTILES = """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)
              FROM (SELECT extract(epoch FROM e.published_at - e.created_at) * 1000 AS ms
                      FROM %s e JOIN orders o ON e.aggregateid = o.id::text
                     WHERE o.customer_id LIKE ? AND e.published_at IS NOT NULL) latencies
            """;

    private static final String PERCENTILES = """
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
              FROM (SELECT extract(epoch FROM c.applied_at - c.last_event_occurred_at) * 1000 AS ms
                      FROM consumed_orders c JOIN orders o ON o.id = c.order_id
                     WHERE o.customer_id LIKE ?) latencies
            """;

    private final JdbcClient jdbc;
    private final Map<String, String> services;
    private final Pipeline pipeline;
    private final Duration length;

    LatencyBench(JdbcClient jdbc, Map<String, String> services, Pipeline pipeline, Duration length) {
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.services = services;
        this.length = length;
    }

    List<Result> run(List<Integer> rates) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int rate : rates) {
            for (Map.Entry<String, String> service : services.entrySet()) {
                // each run starts from an idle pipeline, not behind the previous run's backlog
                pipeline.awaitIdle();
                Result result = measure(service.getKey(), service.getValue(), rate);
                System.out.printf(
                        "  %-26s target %4d/s achieved %6.0f/s  %6d orders applied of %6d  p50 %6.1f  p95 %6.1f"
                                + "  p99 %7.1f  max %7.1f ms%s%n",
                        result.pattern(),
                        rate,
                        result.achievedRate(),
                        result.orders(),
                        result.created(),
                        result.p50Ms(),
                        result.p95Ms(),
                        result.p99Ms(),
                        result.maxMs(),
                        Double.isNaN(result.relayP50Ms())
                                ? ""
                                : "  (in the relay table: p50 %.1f p99 %.1f)"
                                        .formatted(result.relayP50Ms(), result.relayP99Ms()));
                results.add(result);
            }
        }
        return results;
    }

    private Result measure(String pattern, String baseUrl, int rate) throws Exception {
        String run = "bench-latency-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long start = System.nanoTime();
        int created = OpenLoop.create(baseUrl, run, rate, length);
        double achieved = created / ((System.nanoTime() - start) / 1e9);
        double[] row = percentiles(run);
        // wait until order-consumer has applied every order created (or five minutes passed: then report what arrived,
        // and how much of it — the percentiles of a partial set are too kind)
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (row[0] < created && System.nanoTime() < deadline) {
            Thread.sleep(250);
            row = percentiles(run);
        }
        double[] relay = relayPercentiles(pattern, run);
        return new Result(
                pattern, rate, achieved, created, (long) row[0], row[1], row[2], row[3], row[4], relay[0], relay[1]);
    }

    /** For a polled pattern, the time its events spent as unpublished rows; NaN for the others. */
    private double[] relayPercentiles(String name, String run) {
        return Arrays.stream(Pattern.values())
                .filter(pattern -> pattern.name().equals(name) && pattern.polled())
                .findFirst()
                .map(pattern -> jdbc.sql(RELAY_PERCENTILES.formatted(pattern.eventTable()))
                        .param(run + "%")
                        .query((rs, row) -> new double[] {rs.getDouble(1), rs.getDouble(2)})
                        .single())
                .orElse(new double[] {Double.NaN, Double.NaN});
    }

    private double[] percentiles(String run) {
        return jdbc.sql(PERCENTILES)
                .param(run + "%")
                .query((rs, row) ->
                        new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)
                        })
                .single();
    }
}
