package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * End-to-end latency, measured by the client: from the moment a create was <em>meant</em> to be sent to the moment
 * order-consumer applied the order downstream ({@code consumed_orders.applied_at}, order-consumer's clock when it applied the
 * event, the same host clock as the client's), per pattern. {@link OpenLoop} sends on a fixed schedule and never drops a tick, so a service or pipeline that
 * falls behind shows it in these figures and in the achieved rate, not by being sent less. For listen-to-yourself the
 * order counts once its confirmation (version 2, derived from its own OrderCreated) is applied: that is what it owes.
 * The naive dual write — commit, then send straight to Kafka — is the baseline.
 * <p>
 * Beside them, for reading where the time goes: the response time (intended send → 201) and the server-side figure
 * the report showed before ({@code applied_at − occurredAt}, which starts after the request queued in the service).
 */
final class LatencyBench {

    /**
     * Client-side figures (intended send → applied downstream) unless named otherwise.
     *
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
            double responseP99Ms,
            double serverSideP99Ms,
            double relayP50Ms,
            double relayP99Ms,
            WindowCpu.Summary cpu) {}

    private static final String RELAY_PERCENTILES = """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)
              FROM (SELECT extract(epoch FROM e.published_at - e.created_at) * 1000 AS ms
                      FROM %s e JOIN orders o ON e.aggregateid = o.id::text
                     WHERE o.customer_id LIKE ? AND e.published_at IS NOT NULL) latencies
            """;

    /**
     * The run's orders applied downstream in their final version: when, and the server-side latency. By pattern and
     * creation time first (orders_pattern_created_at_idx): polled four times a second while the pipeline drains, a scan
     * of the whole orders table would take CPU from the consumer whose latency is being measured.
     */
    private static final String APPLIED = """
            SELECT o.customer_id, (extract(epoch FROM c.applied_at) * 1000000)::bigint AS applied_micros,
                   (extract(epoch FROM c.applied_at - c.last_event_occurred_at) * 1000000)::bigint AS server_micros
              FROM orders o JOIN consumed_orders c ON c.order_id = o.id
             WHERE o.pattern = :pattern AND o.created_at >= :since AND o.customer_id LIKE :run
               AND c.version >= :version
            """;

    private record Applied(String customerId, long appliedMicros, long serverMicros) {}

    private final JdbcClient jdbc;
    private final Map<String, String> services;
    private final Pipeline pipeline;
    private final Map<String, Long> processes;
    private final Duration length;

    /** {@code processes}: name → pid of whatever may take CPU during a window ({@link WindowCpu}). */
    LatencyBench(
            JdbcClient jdbc,
            Map<String, String> services,
            Pipeline pipeline,
            Map<String, Long> processes,
            Duration length) {
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.services = services;
        this.processes = processes;
        this.length = length;
    }

    List<Result> run(List<Integer> rates) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int rate : rates) {
            for (Map.Entry<String, String> service : services.entrySet()) {
                // each run starts from an idle pipeline, not behind the previous run's backlog
                pipeline.awaitIdle();
                pipeline.checkpoint();
                Result result = measure(service.getKey(), service.getValue(), rate);
                System.out.printf(
                        "  %-26s target %4d/s achieved %6.0f/s  %6d orders applied of %6d  p50 %6.1f  p95 %6.1f"
                                + "  p99 %7.1f  max %7.1f ms  (response p99 %.1f, server-side p99 %.1f)%s%n",
                        result.pattern(),
                        rate,
                        result.achievedRate(),
                        result.orders(),
                        result.created(),
                        result.p50Ms(),
                        result.p95Ms(),
                        result.p99Ms(),
                        result.maxMs(),
                        result.responseP99Ms(),
                        result.serverSideP99Ms(),
                        Double.isNaN(result.relayP50Ms())
                                ? ""
                                : "  (in the relay table: p50 %.1f p99 %.1f)"
                                        .formatted(result.relayP50Ms(), result.relayP99Ms()));
                System.out.printf(
                        "    the machine meanwhile: %s%n", result.cpu().describe());
                results.add(result);
            }
        }
        return results;
    }

    private Result measure(String pattern, String baseUrl, int rate) throws Exception {
        String run = "bench-latency-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Instant since = Instant.now().minusSeconds(1);
        WindowCpu.Measured<OpenLoop.Outcome> window =
                WindowCpu.during(processes, () -> OpenLoop.create(baseUrl, run, rate, length));
        OpenLoop.Outcome sent = window.value();
        int version = Services.eventsPerCreate(pattern);
        // Wait until order-consumer has applied every order created (or five minutes passed: then report what arrived,
        // and how much of it — the percentiles of a partial set are too kind).
        List<Applied> applied = applied(pattern, since, run, version);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (applied.size() < sent.created() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            applied = applied(pattern, since, run, version);
        }
        long[] endToEnd = applied.stream()
                .filter(order -> sent.intendedEpochMicros().containsKey(order.customerId()))
                .mapToLong(order ->
                        order.appliedMicros() - sent.intendedEpochMicros().get(order.customerId()))
                .sorted()
                .toArray();
        long[] serverSide =
                applied.stream().mapToLong(Applied::serverMicros).sorted().toArray();
        double[] relay = relayPercentiles(pattern, run);
        return new Result(
                pattern,
                rate,
                sent.achievedPerSecond(),
                sent.created(),
                applied.size(),
                OpenLoop.percentileMs(endToEnd, 50),
                OpenLoop.percentileMs(endToEnd, 95),
                OpenLoop.percentileMs(endToEnd, 99),
                OpenLoop.percentileMs(endToEnd, 100),
                sent.responsePercentileMs(99),
                OpenLoop.percentileMs(serverSide, 99),
                relay[0],
                relay[1],
                window.cpu());
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

    private List<Applied> applied(String pattern, Instant since, String run, int version) {
        return jdbc.sql(APPLIED)
                .param("pattern", pattern)
                .param("since", Timestamp.from(since))
                .param("run", run + "%")
                .param("version", version)
                .query((rs, row) -> new Applied(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                .list();
    }
}
