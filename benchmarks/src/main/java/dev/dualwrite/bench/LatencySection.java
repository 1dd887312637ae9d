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
            figures.put("achievedPerSecond", Math.round(result.achievedRate()));
            figures.put("responseP99Ms", BenchSection.round(result.responseP99Ms(), 1));
            figures.put("serverSideP99Ms", BenchSection.round(result.serverSideP99Ms(), 1));
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

    /** How many times the naive write's p99 each pattern may take: the outbox 2×, the others (one more hop) 3×. */
    private static final Map<String, Double> P99_ALLOWANCE =
            Map.of("TRANSACTIONAL_OUTBOX", 2.0, "LISTEN_TO_YOURSELF", 3.0, "TRANSACTIONAL_LOG_TAILING", 3.0);

    /** Per pattern: at every target rate, ≥ 0.95× the naive write's achieved rate, and p99 within its allowance. */
    @Override
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        P99_ALLOWANCE.keySet().stream().sorted().forEach(pattern -> {
            List<String> measured = new ArrayList<>();
            boolean met = true;
            for (LatencyBench.Result run : runs) {
                if (!run.pattern().equals(pattern)) {
                    continue;
                }
                LatencyBench.Result naive = naive(run.targetRate());
                if (naive == null) {
                    continue;
                }
                double rateRatio = run.achievedRate() / naive.achievedRate();
                double p99Ratio = run.p99Ms() / naive.p99Ms();
                met &= rateRatio >= 0.95 && p99Ratio <= P99_ALLOWANCE.get(pattern);
                measured.add("%d/s: %.2f× rate, %.1f× p99".formatted(run.targetRate(), rateRatio, p99Ratio));
            }
            if (!measured.isEmpty()) {
                targets.add(new Target(
                        "%s ≥ 0.95× the naive write's achieved rate, p99 ≤ %.0f× its p99 (client-side)"
                                .formatted(pattern, P99_ALLOWANCE.get(pattern)),
                        String.join("; ", measured),
                        met));
            }
        });
        return targets;
    }

    private LatencyBench.Result naive(int targetRate) {
        return runs.stream()
                .filter(n -> n.pattern().equals("NAIVE_DUAL_WRITE") && n.targetRate() == targetRate)
                .findFirst()
                .orElse(null);
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("""
                ## End-to-end latency

                Measured by the client: from the moment a create was *meant* to be sent to the moment order-consumer
                applied the order downstream (`consumed_orders.applied_at`, same host clock). The client sends on a fixed
                schedule over up to %d connections (Apache HttpClient's classic client, one blocking sender thread per
                connection) and never drops a tick: a request that finds every connection busy
                waits, and its wait counts (no coordinated omission). The achieved rate is the creates answered 201 over
                the time from the first tick to the last answer. NAIVE_DUAL_WRITE, which sends straight after the commit
                with nothing in between, is the baseline. For listen-to-yourself an order counts once the confirmation it
                derives from its own OrderCreated is applied downstream.

                "Response p99" is intended send → 201; "server-side p99" the figure earlier reports showed
                (`applied_at − occurredAt`, which starts inside the service, after any queueing). "In relay table" is the
                part of the way an event spent as an unpublished row (`published_at − created_at`, `published_at` being
                the time of the mark after Kafka's acknowledgement), for the two polled patterns.

                | pattern | target/s | achieved/s | × naive rate | orders applied | p50 ms | p95 ms | p99 ms | max ms | p99 × naive | response p99 ms | server-side p99 ms | in relay table p50 / p99 ms |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
                """.formatted(OpenLoop.CONNECTIONS));
        for (LatencyBench.Result r : runs) {
            LatencyBench.Result naive = naive(r.targetRate());
            md.append("| %s | %d | %.0f | %.2f | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f | %s |%n"
                    .formatted(
                            r.pattern(),
                            r.targetRate(),
                            r.achievedRate(),
                            naive == null ? Double.NaN : r.achievedRate() / naive.achievedRate(),
                            r.orders() == r.created() ? Long.toString(r.orders()) : r.orders() + " of " + r.created(),
                            r.p50Ms(),
                            r.p95Ms(),
                            r.p99Ms(),
                            r.maxMs(),
                            naive == null ? Double.NaN : r.p99Ms() / naive.p99Ms(),
                            r.responseP99Ms(),
                            r.serverSideP99Ms(),
                            Double.isNaN(r.relayP50Ms())
                                    ? ""
                                    : "%.1f / %.1f".formatted(r.relayP50Ms(), r.relayP99Ms())));
        }
        md.append("""

                **The machine during each window.** On two cores a fixed rate meets queueing once the suite's CPU nears
                the machine's, and the tail then measures that, not a wait in the pattern. From `/proc` while the client
                sent: the share of all cores busy, averaged over the window's seconds, how many of those seconds were
                at least %.0f %% busy, and the processes that used most of the machine (%% of all cores; PostgreSQL with its
                backends, "bench (client)" this benchmark's own JVM without the applications it started).

                | pattern | target/s | machine busy | seconds ≥ %.0f %% busy | most CPU (%% of the machine) |
                |---|---:|---:|---:|---|
                """.formatted(WindowCpu.SATURATED * 100, WindowCpu.SATURATED * 100));
        for (LatencyBench.Result r : runs) {
            List<String> top = new ArrayList<>();
            r.cpu().topPercent().forEach((process, percent) -> top.add("%s %.0f".formatted(process, percent)));
            md.append("| %s | %d | %s | %s | %s |%n"
                    .formatted(
                            r.pattern(),
                            r.targetRate(),
                            r.cpu().seconds() == 0
                                    ? ""
                                    : "%.0f %%".formatted(r.cpu().busyPercent()),
                            r.cpu().seconds() == 0
                                    ? ""
                                    : r.cpu().saturatedSeconds() + " of "
                                            + r.cpu().seconds(),
                            String.join(", ", top)));
        }
        return md.append("\n").toString();
    }
}
