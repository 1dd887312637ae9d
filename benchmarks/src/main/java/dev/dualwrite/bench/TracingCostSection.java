package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What tracing costs on the outbox's path: every request sampled against none, in the same invocation. */
record TracingCostSection(List<TracingCostBench.Result> runs) implements BenchSection {

    @Override
    public Map<String, Object> json() {
        Map<String, Object> bySampling = new LinkedHashMap<>();
        runs.forEach(run -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("outboxOrdersPerSecond", Math.round(run.outboxOrdersPerSecond()));
            figures.put("plainInsertOrdersPerSecond", Math.round(run.plainInsertOrdersPerSecond()));
            figures.put("writePathRatioToPlainInsert", BenchSection.round(run.ratioToPlainInsert(), 3));
            figures.put("cpuPerOrderMs", BenchSection.round(run.cpuMsPerOrder(), 2));
            bySampling.put(run.sampling(), figures);
        });
        Map<String, Object> tracing = new LinkedHashMap<>();
        tracing.put("bySamplingProbability", bySampling);
        if (runs.size() == 2) {
            tracing.put("writePathRatioSampledToUnsampled", BenchSection.round(writeRatio(), 3));
            tracing.put("cpuPerOrderRatioSampledToUnsampled", BenchSection.round(cpuRatio(), 3));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tracing", tracing);
        return json;
    }

    private double writeRatio() {
        return runs.get(1).ratioToPlainInsert() / runs.get(0).ratioToPlainInsert();
    }

    private double cpuRatio() {
        return runs.get(1).cpuMsPerOrder() / runs.get(0).cpuMsPerOrder();
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("""
                ## What tracing costs

                The transactional outbox's path (its order service, both pollers, order-consumer) restarted with every
                request sampled (`management.tracing.sampling.probability` 1.0: an HTTP span, a wait and a send span
                per row, a consumer span per record, all exported to Zipkin) and with none (0: the trace context is
                still written into the row and onto the record, no span is recorded), warmed, then measured at each:
                the write path with the pipeline running (32 clients, as a ratio to the plain insert measured right
                beside it) and the CPU per order at the CPU section's rate (every process on the path, from /proc;
                Zipkin's own CPU is not on the path). The other sections ran with the sampling the stack was started
                with (./bench.sh samples nothing unless `TRACING_SAMPLING_PROBABILITY` says otherwise; see the environment).

                | sampling | outbox orders/s (c=32, running) | plain insert orders/s | × plain insert | CPU ms per order |
                |---|---:|---:|---:|---:|
                """);
        runs.forEach(run -> md.append("| %s | %.0f | %.0f | %.3f | %.2f |%n"
                .formatted(
                        run.sampling(),
                        run.outboxOrdersPerSecond(),
                        run.plainInsertOrdersPerSecond(),
                        run.ratioToPlainInsert(),
                        run.cpuMsPerOrder())));
        if (runs.size() == 2) {
            md.append("\nSampling everything: the write path at %.2f × its unsampled figure (against the plain insert),"
                            .formatted(writeRatio()))
                    .append(" the CPU per order at %.2f ×.%n%n".formatted(cpuRatio()));
        }
        return md.toString();
    }
}
