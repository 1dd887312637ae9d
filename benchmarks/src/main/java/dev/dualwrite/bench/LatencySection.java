package dev.dualwrite.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** End-to-end latency per pattern and target rate, each beside the naive dual write at the same rate. */
record LatencySection(List<LatencyBench.Result> runs) implements BenchSection {

    /** Per pattern, the run at the highest target rate: the JSON's "latency", the chart's panel, the targets. */
    Map<String, LatencyBench.Result> headline() {
        int highest =
                runs.stream().mapToInt(LatencyBench.Result::targetRate).max().orElse(0);
        Map<String, LatencyBench.Result> headline = new LinkedHashMap<>();
        runs.stream().filter(run -> run.targetRate() == highest).forEach(run -> headline.put(run.pattern(), run));
        return headline;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Map<String, Object>> latency = new LinkedHashMap<>();
        headline().forEach((pattern, result) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("p50Ms", BenchSection.round(result.p50Ms(), 1));
            figures.put("p95Ms", BenchSection.round(result.p95Ms(), 1));
            figures.put("p99Ms", BenchSection.round(result.p99Ms(), 1));
            figures.put("maxMs", BenchSection.round(result.maxMs(), 1));
            figures.put("targetOrdersPerSecond", result.targetRate());
            figures.put("achievedOrdersPerSecond", Math.round(result.achievedRate()));
            latency.put(pattern, figures);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("latency", latency);
        json.put("latencyRuns", runs);
        return json;
    }

    @Override
    public void chart(BarChart chart) {
        if (runs.isEmpty()) {
            return;
        }
        List<BarChart.Bar> bars = new ArrayList<>();
        headline().forEach((pattern, result) -> {
            bars.add(new BarChart.Bar(pattern + " p50", result.p50Ms()));
            bars.add(new BarChart.Bar(pattern + " p99", result.p99Ms()));
        });
        chart.panel(
                "End-to-end latency at " + headline().values().iterator().next().targetRate() + " orders/s target",
                "ms",
                bars);
    }

    @Override
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        LatencyBench.Result outbox = headline().get("TRANSACTIONAL_OUTBOX");
        if (outbox != null) {
            targets.add(new Target(
                    "outbox p99 ≤ 50 ms at 1,000 orders/s",
                    "p99 %.0f ms at %d/s target, %.0f/s achieved"
                            .formatted(outbox.p99Ms(), outbox.targetRate(), outbox.achievedRate()),
                    outbox.p99Ms() <= 50 && outbox.targetRate() >= 1000));
        }
        LatencyBench.Result tailing = headline().get("TRANSACTIONAL_LOG_TAILING");
        if (tailing != null) {
            targets.add(new Target(
                    "log tailing p99 ≤ 150 ms",
                    "p99 %.0f ms at %d/s target, %.0f/s achieved"
                            .formatted(tailing.p99Ms(), tailing.targetRate(), tailing.achievedRate()),
                    tailing.p99Ms() <= 150));
        }
        return targets;
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("""
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
                """.formatted(OpenLoop.IN_FLIGHT));
        for (LatencyBench.Result r : runs) {
            double naive = runs.stream()
                    .filter(n -> n.pattern().equals("NAIVE_DUAL_WRITE") && n.targetRate() == r.targetRate())
                    .findFirst()
                    .map(LatencyBench.Result::p99Ms)
                    .orElse(Double.NaN);
            md.append("| %s | %d | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %s |%n"
                    .formatted(
                            r.pattern(),
                            r.targetRate(),
                            r.achievedRate(),
                            r.orders() == r.created() ? Long.toString(r.orders()) : r.orders() + " of " + r.created(),
                            r.p50Ms(),
                            r.p95Ms(),
                            r.p99Ms(),
                            r.maxMs(),
                            r.p99Ms() / naive,
                            Double.isNaN(r.relayP50Ms())
                                    ? ""
                                    : "%.1f / %.1f".formatted(r.relayP50Ms(), r.relayP99Ms())));
        }
        return md.append("\n").toString();
    }
}
