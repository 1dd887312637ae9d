package dev.dualwrite.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** The results of one ./bench.sh invocation, and the Markdown, SVG and JSON made of them. */
final class BenchReport {

    private static final Map<String, String> RELAY_LABELS = new LinkedHashMap<>();

    static {
        RELAY_LABELS.put("onePollerEventsPerSecond", "one relay (outbox-relay)");
        RELAY_LABELS.put("twoPollersEventsPerSecond", "two relays");
        RELAY_LABELS.put("debeziumEventsPerSecond", "Debezium (insert → all on the topic)");
        RELAY_LABELS.put("rawProducerEventsPerSecond", "ceiling: raw Kafka producer, records from memory");
        RELAY_LABELS.put("rawSqlEventsPerSecond", "ceiling: raw SQL claim + mark, no Kafka");
    }

    private final String command;
    private final boolean quick;
    private final Map<String, Map<String, String>> environment;
    private List<WritePathBench.Result> writePath = List.of();
    private Map<String, Double> relay = Map.of();
    private RelayDrainBench.Profile relayProfile;
    private int relayEvents;
    private List<LatencyBench.Result> latency = List.of();
    private List<KeepUpBench.Result> keepUp = List.of();
    private Duration elapsed = Duration.ZERO;

    BenchReport(String command, boolean quick, Map<String, Map<String, String>> environment) {
        this.command = command;
        this.quick = quick;
        this.environment = environment;
    }

    void writePath(List<WritePathBench.Result> results) {
        this.writePath = results;
    }

    void relay(int events, Map<String, Double> rates, RelayDrainBench.Profile profile) {
        this.relayEvents = events;
        this.relay = rates;
        this.relayProfile = profile;
    }

    void latency(List<LatencyBench.Result> results) {
        this.latency = results;
    }

    void keepUp(List<KeepUpBench.Result> results) {
        this.keepUp = results;
    }

    void elapsed(Duration elapsed) {
        this.elapsed = elapsed;
    }

    /** Per pattern, the run at the highest target rate: the JSON's "latency". */
    private Map<String, LatencyBench.Result> headlineLatency() {
        int highest = latency.stream().mapToInt(LatencyBench.Result::targetRate).max().orElse(0);
        Map<String, LatencyBench.Result> headline = new LinkedHashMap<>();
        latency.stream().filter(result -> result.targetRate() == highest).forEach(result -> headline.put(result.pattern(), result));
        return headline;
    }

    String json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("quick", quick);
        json.put("elapsedSeconds", elapsed.toSeconds());
        json.put("environment", environment);
        Map<String, Long> relayJson = new LinkedHashMap<>();
        relay.forEach((name, rate) -> relayJson.put(name, Math.round(rate)));
        json.put("relay", relayJson);
        json.put("relayEvents", relayEvents);
        if (relayProfile != null) {
            json.put("relayProfileMs", relayProfile);
        }
        Map<String, Map<String, Object>> latencyJson = new LinkedHashMap<>();
        headlineLatency().forEach((pattern, result) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("p50Ms", round(result.p50Ms()));
            figures.put("p95Ms", round(result.p95Ms()));
            figures.put("p99Ms", round(result.p99Ms()));
            figures.put("maxMs", round(result.maxMs()));
            figures.put("targetOrdersPerSecond", result.targetRate());
            figures.put("achievedOrdersPerSecond", Math.round(result.achievedRate()));
            latencyJson.put(pattern, figures);
        });
        json.put("latency", latencyJson);
        json.put("latencyRuns", latency);
        json.put("writePath", WritePathBench.summary(writePath, false));
        json.put("writePathWithPipelineRunning", WritePathBench.summary(writePath, true));
        json.put("writePathRuns", writePath);
        Map<String, Object> keepUpJson = new LinkedHashMap<>();
        keepUp.forEach(result -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("keepsUp", result.keepsUp());
            figures.put("ordersPerSecond", Math.round(result.ordersPerSecond()));
            figures.put("committedEventsPerSecond", Math.round(result.committedPerSecond()));
            figures.put("publishedEventsPerSecond", Math.round(result.publishedPerSecond()));
            figures.put("maxBacklog", result.maxBacklog());
            figures.put("backlogAtEnd", result.backlogAtEnd());
            figures.put("drainSeconds", Double.isFinite(result.drainSeconds()) ? round(result.drainSeconds()) : null);
            figures.put("backlogEverySecond", result.backlog());
            keepUpJson.put(result.pattern(), figures);
        });
        json.put("keepUp", keepUpJson);
        return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
    }

    String chart() {
        BarChart chart = new BarChart();
        int highest = writePath.stream().mapToInt(WritePathBench.Result::concurrency).max().orElse(0);
        for (boolean pipelineRunning : List.of(false, true)) {
            List<BarChart.Bar> bars = writePath.stream()
                    .filter(result -> result.concurrency() == highest && result.pipelineRunning() == pipelineRunning)
                    .map(result -> new BarChart.Bar(result.service(), result.ordersPerSecond())).toList();
            if (!bars.isEmpty()) {
                chart.panel("Write path, orders/s at concurrency %d, pipeline %s".formatted(highest,
                        pipelineRunning ? "running" : "paused"), "orders/s", bars);
            }
        }
        if (!relay.isEmpty()) {
            chart.panel("Relay drain of " + relayEvents + " events", "events/s", RELAY_LABELS.entrySet().stream()
                    .map(label -> new BarChart.Bar(label.getValue(), relay.get(label.getKey()))).toList());
        }
        if (!latency.isEmpty()) {
            List<BarChart.Bar> bars = new ArrayList<>();
            headlineLatency().forEach((pattern, result) -> {
                bars.add(new BarChart.Bar(pattern + " p50", result.p50Ms()));
                bars.add(new BarChart.Bar(pattern + " p99", result.p99Ms()));
            });
            chart.panel("End-to-end latency at " + headlineLatency().values().iterator().next().targetRate()
                    + " orders/s target", "ms", bars);
        }
        return chart.svg();
    }

    String markdown(String chartFile) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Produced by `%s` in %d s%s. Every figure stands beside its baseline from the same invocation.\n\n"
                .formatted(command, elapsed.toSeconds(), quick ? " — a QUICK run: short, for a look, not for quoting" : ""));
        md.append("![charts](%s)\n\n".formatted(chartFile));
        appendTargets(md);
        appendWritePath(md);
        appendRelay(md);
        appendLatency(md);
        appendKeepUp(md);
        md.append("## Environment\n\nRead from the running stack. Applications run with the launcher's JVM flags "
                + "(APP_JAVA_OPTS overrides); the whole suite (PostgreSQL, Kafka, Connect, ten applications with the naive "
                + "service and the plain-insert baseline, and the benchmark client) shares the machine.\n\n");
        environment.forEach((section, values) -> {
            md.append("- **%s**: ".formatted(section));
            md.append(String.join("; ", values.entrySet().stream().map(e -> e.getKey() + " `" + e.getValue() + "`").toList()));
            md.append("\n");
        });
        return md.toString();
    }

    private void appendTargets(StringBuilder md) {
        md.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
        if (!relay.isEmpty()) {
            double one = relay.get("onePollerEventsPerSecond");
            md.append(row("one relay ≥ 25,000 events/s", "%,.0f events/s".formatted(one), one >= 25_000));
        }
        LatencyBench.Result outbox = headlineLatency().get("TRANSACTIONAL_OUTBOX");
        if (outbox != null) {
            md.append(row("outbox p99 ≤ 50 ms at 1,000 orders/s", "p99 %.0f ms at %d/s target, %.0f/s achieved"
                    .formatted(outbox.p99Ms(), outbox.targetRate(), outbox.achievedRate()), outbox.p99Ms() <= 50 && outbox.targetRate() >= 1000));
        }
        LatencyBench.Result tailing = headlineLatency().get("TRANSACTIONAL_LOG_TAILING");
        if (tailing != null) {
            md.append(row("log tailing p99 ≤ 150 ms", "p99 %.0f ms at %d/s target, %.0f/s achieved"
                    .formatted(tailing.p99Ms(), tailing.targetRate(), tailing.achievedRate()), tailing.p99Ms() <= 150));
        }
        Map<String, Map<String, Double>> summary = WritePathBench.summary(writePath, false);
        if (summary.containsKey("TRANSACTIONAL_OUTBOX")) {
            double ratio = summary.get("TRANSACTIONAL_OUTBOX").get("ratioToPlainInsert");
            md.append(row("outbox write path ≥ 0.8 × plain insert", "%.2f × at concurrency %d, pipeline paused".formatted(ratio,
                    writePath.stream().mapToInt(WritePathBench.Result::concurrency).max().orElse(0)), ratio >= 0.8));
        }
        md.append("\n");
    }

    private static String row(String target, String measured, boolean met) {
        return "| %s | %s | %s |%n".formatted(target, measured, met ? "met" : "**missed**");
    }

    private void appendWritePath(StringBuilder md) {
        if (writePath.isEmpty()) {
            return;
        }
        md.append("""
                ## Write path

                `POST /api/orders` (one item) by closed-loop clients, each sending its next request when the last one
                answered. PLAIN_INSERT is the same service code (order-service-naive with `NAIVE_MODE=NO_EVENT`, port
                8087) writing the order and no event: the baseline of the ratios. Measured twice: with the pipeline
                (pollers, Connect, order-consumer) paused by SIGSTOP — the write's own cost, which the target is about —
                and with it running, when on this machine the relays, Debezium, Kafka and the consumer take their CPU
                from the same cores the services run on. Listen-to-yourself's own consumer lives in its service and
                runs in both.

                """);
        List<Integer> concurrencies = writePath.stream().map(WritePathBench.Result::concurrency).distinct().sorted().toList();
        for (boolean pipelineRunning : List.of(false, true)) {
            md.append("**Pipeline %s**\n\n| service | ".formatted(pipelineRunning ? "running" : "paused"));
            concurrencies.forEach(c -> md.append("c=%d orders/s | × plain | ".formatted(c)));
            md.append("\n|---|").append("---:|---:|".repeat(concurrencies.size())).append("\n");
            writePath.stream().map(WritePathBench.Result::service).distinct().forEach(service -> {
                md.append("| ").append(service).append(" | ");
                for (int c : concurrencies) {
                    writePath.stream().filter(r -> r.service().equals(service) && r.concurrency() == c
                                    && r.pipelineRunning() == pipelineRunning).findFirst()
                            .ifPresent(r -> md.append("%.0f | %.2f | ".formatted(r.ordersPerSecond(),
                                    WritePathBench.ratio(writePath, r))));
                }
                md.append("\n");
            });
            md.append("\n");
        }
    }

    private void appendRelay(StringBuilder md) {
        if (relay.isEmpty()) {
            return;
        }
        double producer = relay.get("rawProducerEventsPerSecond");
        double sql = relay.get("rawSqlEventsPerSecond");
        md.append("""
                ## Relay drain

                A backlog of %,d events (one per order, ~450 bytes of JSON each) in a table shaped like outbox_events,
                published to a 3-partition topic by the relay library itself (batch %d) run in the benchmark's JVM, and
                by a second Debezium connector shaped like ours on a table shaped like cdc_outbox.

                | publisher | events/s | × raw producer | × raw SQL loop |
                |---|---:|---:|---:|
                """.formatted(relayEvents, RelayDrainBench.BATCH));
        RELAY_LABELS.forEach((key, label) -> md.append("| %s | %.0f | %.2f | %.2f |%n".formatted(label, relay.get(key),
                relay.get(key) / producer, relay.get(key) / sql)));
        if (relayProfile != null) {
            double total = relayProfile.totalMs();
            md.append("""

                    **Where one relay's time goes** (one more drain with a stopwatch around each step, %d rounds):
                    claim query %.0f%%, sending and awaiting every acknowledgement %.0f%%, mark %.0f%%, commit and the rest
                    %.0f%%. The SQL (claim + mark + commit) is %.0f%% of a round; the raw SQL loop, the same statements
                    without Kafka, is the ceiling one relay cannot pass, and it reached %.2f of it. A second relay
                    overlaps one relay's wait for acks with the other's SQL. Debezium pays for the Connect pipeline
                    (conversion, EventRouter, offsets) on its one task after the rows committed.
                    """.formatted(relayProfile.rounds(), 100 * relayProfile.claimMs() / total,
                    100 * relayProfile.sendAndAckMs() / total, 100 * relayProfile.markMs() / total,
                    100 * relayProfile.commitAndRestMs() / total,
                    100 * (relayProfile.claimMs() + relayProfile.markMs() + relayProfile.commitAndRestMs()) / total,
                    relay.get("onePollerEventsPerSecond") / sql));
        }
        md.append("\n");
    }

    private void appendLatency(StringBuilder md) {
        if (latency.isEmpty()) {
            return;
        }
        md.append("""
                ## End-to-end latency

                Commit → applied by order-consumer (`consumed_orders.applied_at − occurredAt` of the order's last event).
                An open-loop client sends creates on schedule; at most %d requests are outstanding, so when a service
                cannot take the target the achieved rate says what it sustained. NAIVE_DUAL_WRITE, which sends straight
                after the commit with nothing in between, is the baseline. For listen-to-yourself the last event is the
                confirmation the service derived from its own OrderCreated.

                "In relay table" is the part of the way an event spent as an unpublished row (`published_at −
                created_at`), for the two polled patterns: the rest is Kafka and order-consumer.

                | pattern | target/s | achieved/s | orders applied | p50 ms | p95 ms | p99 ms | max ms | p99 × naive | in relay table p50 / p99 ms |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(LatencyBench.IN_FLIGHT));
        for (LatencyBench.Result r : latency) {
            double naive = latency.stream().filter(n -> n.pattern().equals("NAIVE_DUAL_WRITE") && n.targetRate() == r.targetRate())
                    .findFirst().map(LatencyBench.Result::p99Ms).orElse(Double.NaN);
            md.append("| %s | %d | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %s |%n".formatted(r.pattern(), r.targetRate(),
                    r.achievedRate(), r.orders() == r.created() ? Long.toString(r.orders()) : r.orders() + " of " + r.created(), r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs(), r.p99Ms() / naive,
                    Double.isNaN(r.relayP50Ms()) ? "" : "%.1f / %.1f".formatted(r.relayP50Ms(), r.relayP99Ms())));
        }
        md.append("\n");
    }

    private void appendKeepUp(StringBuilder md) {
        if (keepUp.isEmpty()) {
            return;
        }
        md.append("""
                ## Keep-up under maximum write load

                %d closed-loop clients create orders through one pattern's service as fast as it answers. Backlog =
                events committed since the start − records that reached the pattern's topic (counted by a consumer
                of the benchmark's own), sampled every second; then the time until it is zero after the load stops.
                Keeps up = published ≥ 0.95 × committed, and less than one second's worth of commits unpublished
                when the load ends (a bounded backlog). For listen-to-yourself the drain includes the confirmations
                its own consumer still derives after the load.

                | pattern | orders/s | events committed/s | published/s | backlog max | at end | drained in | verdict |
                |---|---:|---:|---:|---:|---:|---:|---|
                """.formatted(KeepUpBench.CLIENTS));
        for (KeepUpBench.Result r : keepUp) {
            md.append("| %s | %.0f | %.0f | %.0f | %d | %d | %s | %s |%n".formatted(r.pattern(), r.ordersPerSecond(),
                    r.committedPerSecond(), r.publishedPerSecond(), r.maxBacklog(), r.backlogAtEnd(),
                    Double.isFinite(r.drainSeconds()) ? "%.1f s".formatted(r.drainSeconds()) : "not within 3 min",
                    r.keepsUp() ? "keeps up" : "**falls behind**"));
        }
        md.append("\nBacklog every second:\n\n");
        keepUp.forEach(r -> md.append("- %s: %s%n".formatted(r.pattern(), r.backlog())));
        md.append("\n");
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
