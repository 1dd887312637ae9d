package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keep-up under maximum write load: per pattern, committed against published, and the backlog over time. */
record KeepUpSection(List<KeepUpBench.Result> runs) implements BenchSection {

    @Override
    public Map<String, Object> json() {
        Map<String, Object> keepUp = new LinkedHashMap<>();
        runs.forEach(result -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("keepsUp", result.keepsUp());
            figures.put("ordersPerSecond", Math.round(result.ordersPerSecond()));
            figures.put("committedEventsPerSecond", Math.round(result.committedPerSecond()));
            figures.put("publishedEventsPerSecond", Math.round(result.publishedPerSecond()));
            figures.put("maxBacklog", result.maxBacklog());
            figures.put("backlogAtEnd", result.backlogAtEnd());
            figures.put(
                    "drainSeconds",
                    Double.isFinite(result.drainSeconds()) ? BenchSection.round(result.drainSeconds(), 1) : null);
            figures.put("backlogEverySecond", result.backlog());
            keepUp.put(result.pattern(), figures);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keepUp", keepUp);
        return json;
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("""
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
        for (KeepUpBench.Result r : runs) {
            md.append("| %s | %.0f | %.0f | %.0f | %d | %d | %s | %s |%n"
                    .formatted(
                            r.pattern(),
                            r.ordersPerSecond(),
                            r.committedPerSecond(),
                            r.publishedPerSecond(),
                            r.maxBacklog(),
                            r.backlogAtEnd(),
                            Double.isFinite(r.drainSeconds())
                                    ? "%.1f s".formatted(r.drainSeconds())
                                    : "not within 3 min",
                            r.keepsUp() ? "keeps up" : "**falls behind**"));
        }
        md.append("\nBacklog every second:\n\n");
        runs.forEach(r -> md.append("- %s: %s%n".formatted(r.pattern(), r.backlog())));
        return md.append("\n").toString();
    }
}
