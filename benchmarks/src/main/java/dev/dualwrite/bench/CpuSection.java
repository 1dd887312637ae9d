package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CPU per order, per writer and per process on its path, beside the plain insert's; and, given an earlier run's JSON
 * ({@code --cpu-baseline}: the same benchmark against older code), beside that run's figure for the same writer.
 */
record CpuSection(List<CpuPerOrderBench.Result> runs, Baseline baseline) implements BenchSection {

    /** The target: at least halved against the code before the performance work. */
    static final double TARGET_RATIO_TO_BASELINE = 0.5;

    /**
     * CPU ms per order by writer from an earlier run's JSON (the file it came from); empty without one. Only a run at
     * the same rate compares: the file must say {@code cpuPerOrderRate}, and it must be this run's.
     */
    record Baseline(String source, Map<String, Double> msPerOrder) {
        static final Baseline NONE = new Baseline(null, Map.of());

        static Baseline read(String file, int rate) {
            if (file == null) {
                return NONE;
            }
            JsonNode json;
            try {
                json = JsonMapper.builder().build().readTree(Files.readString(Path.of(file)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--cpu-baseline " + file + ": " + e.getMessage(), e);
            }
            if (!json.path("cpuPerOrderMs").isObject()
                    || json.path("cpuPerOrderRate").asInt() != rate) {
                throw new IllegalArgumentException("--cpu-baseline " + file + " is not a ./bench.sh JSON with"
                        + " cpuPerOrderMs measured at " + rate + " orders/s (cpuPerOrderRate)");
            }
            Map<String, Double> msPerOrder = new LinkedHashMap<>();
            json.get("cpuPerOrderMs").properties().stream()
                    .filter(entry -> entry.getValue().asDouble() > 0)
                    .forEach(entry ->
                            msPerOrder.put(entry.getKey(), entry.getValue().asDouble()));
            return new Baseline(file, msPerOrder);
        }
    }

    @Override
    public List<Target> targets() {
        return runs.stream()
                // the three patterns: the plain insert is the floor, the naive write the baseline of other targets
                .filter(run -> !run.writer().equals(Services.PLAIN_INSERT))
                .filter(run -> !run.writer().equals(Pattern.NAIVE_DUAL_WRITE.name()))
                .filter(run -> baseline.msPerOrder().containsKey(run.writer()))
                .map(run -> {
                    double before = baseline.msPerOrder().get(run.writer());
                    double ratio = run.msPerOrder() / before;
                    return new Target(
                            "%s CPU per order ≤ %.1f × the baseline run's (%s)"
                                    .formatted(run.writer(), TARGET_RATIO_TO_BASELINE, baseline.source()),
                            "%.2f of %.2f ms: %.3f ×".formatted(run.msPerOrder(), before, ratio),
                            ratio <= TARGET_RATIO_TO_BASELINE);
                })
                .toList();
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> perOrder = new LinkedHashMap<>();
        Map<String, Object> byProcess = new LinkedHashMap<>();
        runs.forEach(result -> {
            perOrder.put(result.writer(), BenchSection.round(result.msPerOrder(), 3));
            Map<String, Object> processes = new LinkedHashMap<>();
            result.msByProcess().forEach((process, ms) -> processes.put(process, BenchSection.round(ms, 3)));
            byProcess.put(result.writer(), processes);
        });
        Map<String, Object> postgresByClient = new LinkedHashMap<>();
        runs.forEach(result -> {
            Map<String, Object> clients = new LinkedHashMap<>();
            result.postgresMsByClient().forEach((client, ms) -> clients.put(client, BenchSection.round(ms, 3)));
            postgresByClient.put(result.writer(), clients);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cpuPerOrderMs", perOrder);
        if (!runs.isEmpty()) {
            json.put("cpuPerOrderRate", runs.get(0).rate());
        }
        json.put("cpuPerOrderMsByProcess", byProcess);
        json.put("cpuPerOrderMsOfPostgresByClient", postgresByClient);
        if (baseline.source() != null) {
            Map<String, Object> ratios = new LinkedHashMap<>();
            runs.stream()
                    .filter(run -> baseline.msPerOrder().containsKey(run.writer()))
                    .forEach(run -> ratios.put(
                            run.writer(),
                            BenchSection.round(
                                    run.msPerOrder() / baseline.msPerOrder().get(run.writer()), 3)));
            json.put("cpuPerOrderBaseline", baseline.source());
            json.put("cpuPerOrderRatioToBaseline", ratios);
        }
        Map<String, Object> hottest = new LinkedHashMap<>();
        runs.forEach(result -> {
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("process", result.hottest());
            Map<String, Object> frames = new LinkedHashMap<>();
            result.topFrames().forEach(frame -> frames.put(frame.method(), BenchSection.round(frame.percent(), 1)));
            profile.put("topFramesPercentOfSamples", frames);
            Map<String, Object> libraries = new LinkedHashMap<>();
            result.topLibraries()
                    .forEach(library -> libraries.put(library.method(), BenchSection.round(library.percent(), 1)));
            profile.put("topLibrariesPercentOfSamples", libraries);
            hottest.put(result.writer(), profile);
        });
        json.put("cpuHottestProcessProfile", hottest);
        return json;
    }

    @Override
    public String markdown() {
        double floor = runs.stream()
                .filter(result -> result.writer().equals(Services.PLAIN_INSERT))
                .mapToDouble(CpuPerOrderBench.Result::msPerOrder)
                .findFirst()
                .orElse(Double.NaN);
        StringBuilder md = new StringBuilder("""
                ## CPU per order

                An open-loop client creates orders through one writer at %d/s (after as long a warm-up, unmeasured);
                the CPU time (user + system, from
                `/proc/<pid>/stat`, PostgreSQL's backends included) of every process on that writer's path, from the
                first request until order-consumer has applied every order (for listen-to-yourself: its
                confirmation), less what the same processes use idle over as long, divided by the orders. The
                plain insert (its service and PostgreSQL, no event) is the floor. PostgreSQL's part is split by
                client, from its backends' own CPU (each application names its connections): what each
                application's statements cost the database, what Debezium's replication connection costs, and
                the server's own processes (WAL writer, checkpointer, autovacuum).

                %s
                | writer | orders/s achieved | CPU ms per order | × plain insert | × baseline run | by process (ms per order) | PostgreSQL by client (ms per order) |
                |---|---:|---:|---:|---:|---|---|
                """.formatted(
                        runs.isEmpty() ? 0 : runs.get(0).rate(),
                        baseline.source() == null
                                ? ""
                                : "The baseline run is `%s`: the same benchmark against earlier code.\n"
                                        .formatted(baseline.source())));
        for (CpuPerOrderBench.Result r : runs) {
            Double before = baseline.msPerOrder().get(r.writer());
            md.append("| %s | %.0f | %.2f | %.1f× | %s | %s | %s |%n"
                    .formatted(
                            r.writer(),
                            r.achievedPerSecond(),
                            r.msPerOrder(),
                            r.msPerOrder() / floor,
                            before == null ? "" : "%.2f× (of %.2f)".formatted(r.msPerOrder() / before, before),
                            list(r.msByProcess()),
                            list(r.postgresMsByClient())));
        }
        md.append("""

                Where the hottest JVM of each path spends its CPU: the methods on top of the most JFR execution samples,
                recorded in a run half as long, at the same rate, after the measured one (`jcmd <pid> JFR.start
                settings=default`: a sample every 20 ms of each thread running Java code; recordings in
                `run/bench/jfr/`). No recording runs while CPU is counted: JFR's periodic events are a large share
                of a JVM that idles between orders. Every JVM has had one recording before the warm-up, since a
                JVM's first one discards compiled code that the JIT then compiles again.

                """);
        for (CpuPerOrderBench.Result r : runs) {
            md.append("- **%s**, %s — by library: %s; by method: %s%n"
                    .formatted(r.writer(), r.hottest(), shares(r.topLibraries()), shares(r.topFrames())));
        }
        return md.append("\n").toString();
    }

    private static String list(Map<String, Double> msBy) {
        return String.join(
                ", ",
                msBy.entrySet().stream()
                        .filter(entry -> entry.getValue() >= 0.005)
                        .map(entry -> "%s %.2f".formatted(entry.getKey(), entry.getValue()))
                        .toList());
    }

    private static String shares(List<JfrProfile.Frame> frames) {
        return String.join(
                ", ",
                frames.stream()
                        .map(frame -> "`%s` %.1f %%".formatted(frame.method(), frame.percent()))
                        .toList());
    }
}
