package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The write path: orders/s per service and concurrency, each beside the plain insert of the same run. */
record WritePathSection(List<WritePathBench.Result> runs) implements BenchSection {

    private int highestConcurrency() {
        return runs.stream().mapToInt(WritePathBench.Result::concurrency).max().orElse(0);
    }

    /** A run's orders/s over the plain insert's at the same concurrency, with the pipeline in the same state. */
    double ratio(WritePathBench.Result result) {
        double plain = runs.stream()
                .filter(r -> r.service().equals(Services.PLAIN_INSERT)
                        && r.concurrency() == result.concurrency()
                        && r.pipelineRunning() == result.pipelineRunning())
                .findFirst()
                .map(WritePathBench.Result::ordersPerSecond)
                .orElse(Double.NaN);
        return result.ordersPerSecond() / plain;
    }

    /** Service → {"ordersPerSecond", "ratioToPlainInsert"} at the highest concurrency, pipeline paused or running. */
    Map<String, Map<String, Double>> summary(boolean pipelineRunning) {
        Map<String, Map<String, Double>> summary = new LinkedHashMap<>();
        for (WritePathBench.Result result : runs) {
            if (result.concurrency() == highestConcurrency() && result.pipelineRunning() == pipelineRunning) {
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put("ordersPerSecond", BenchSection.round(result.ordersPerSecond(), 0));
                figures.put("ratioToPlainInsert", BenchSection.round(ratio(result), 2));
                summary.put(result.service(), figures);
            }
        }
        return summary;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("writePath", summary(false));
        json.put("writePathWithPipelineRunning", summary(true));
        json.put("writePathRuns", runs);
        return json;
    }

    @Override
    public void chart(BarChart chart) {
        for (boolean pipelineRunning : List.of(false, true)) {
            List<BarChart.Bar> bars = runs.stream()
                    .filter(run ->
                            run.concurrency() == highestConcurrency() && run.pipelineRunning() == pipelineRunning)
                    .map(run -> new BarChart.Bar(run.service(), run.ordersPerSecond()))
                    .toList();
            if (!bars.isEmpty()) {
                chart.panel(
                        "Write path, orders/s at concurrency %d, pipeline %s"
                                .formatted(highestConcurrency(), pipelineRunning ? "running" : "paused"),
                        "orders/s",
                        bars);
            }
        }
    }

    @Override
    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        Map<String, Double> outbox = summary(false).get("TRANSACTIONAL_OUTBOX");
        if (outbox != null) {
            double ratio = outbox.get("ratioToPlainInsert");
            targets.add(new Target(
                    "outbox write path ≥ 0.8 × plain insert",
                    "%.2f × at concurrency %d, pipeline paused".formatted(ratio, highestConcurrency()),
                    ratio >= 0.8));
        }
        for (String pattern : List.of("TRANSACTIONAL_OUTBOX", "TRANSACTIONAL_LOG_TAILING")) {
            Map<String, Double> running = summary(true).get(pattern);
            if (running != null) {
                double ratio = running.get("ratioToPlainInsert");
                targets.add(new Target(
                        pattern + " write path with the pipeline running ≥ 0.6 × plain insert",
                        "%.2f × at concurrency %d".formatted(ratio, highestConcurrency()),
                        ratio >= 0.6));
            }
        }
        return targets;
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("""
                ## Write path

                `POST /api/orders` (one item) by closed-loop clients, each sending its next request when the last one
                answered. PLAIN_INSERT is the same service code (order-service-naive with `NAIVE_MODE=NO_EVENT`, port
                8087) writing the order and no event: the baseline of the ratios. Measured twice: with the pipeline
                (pollers, Connect, order-consumer) paused by SIGSTOP — the write's own cost, which the target is about —
                and with it running, when on this machine the relays, Debezium, Kafka and the consumer take their CPU
                from the same cores the services run on; each running window starts once the pipeline is idle, so
                it carries its own events only. Listen-to-yourself's own consumer lives in its service: with
                its pollers paused it receives nothing and derives no confirmations, so its paused figure (†) leaves
                out part of its own work — compare it with the running figure only. CEILING_JDBC_COMMIT is the limit
                beside them: PostgreSQL committing the same order and item rows from as many JDBC threads, no HTTP, no
                Spring, no event.

                """);
        List<Integer> concurrencies = runs.stream()
                .map(WritePathBench.Result::concurrency)
                .distinct()
                .sorted()
                .toList();
        for (boolean pipelineRunning : List.of(false, true)) {
            md.append("**Pipeline %s**\n\n| service | ".formatted(pipelineRunning ? "running" : "paused"));
            concurrencies.forEach(c -> md.append("c=%d orders/s | × plain | ".formatted(c)));
            md.append("\n|---|")
                    .append("---:|---:|".repeat(concurrencies.size()))
                    .append("\n");
            runs.stream().map(WritePathBench.Result::service).distinct().forEach(service -> {
                md.append("| ")
                        .append(service)
                        .append(!pipelineRunning && service.equals(Pattern.LISTEN_TO_YOURSELF.name()) ? " †" : "")
                        .append(" | ");
                for (int c : concurrencies) {
                    runs.stream()
                            .filter(r -> r.service().equals(service)
                                    && r.concurrency() == c
                                    && r.pipelineRunning() == pipelineRunning)
                            .findFirst()
                            .ifPresent(r -> md.append("%.0f | %.2f | ".formatted(r.ordersPerSecond(), ratio(r))));
                }
                md.append("\n");
            });
            md.append("\n");
        }
        return md.toString();
    }
}
