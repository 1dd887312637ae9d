package dev.dualwrite.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU per order, per writer and per process on its path, beside the plain insert's. */
record CpuSection(List<CpuPerOrderBench.Result> runs) implements BenchSection {

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
        json.put("cpuPerOrderMsByProcess", byProcess);
        json.put("cpuPerOrderMsOfPostgresByClient", postgresByClient);
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
        StringBuilder md =
                new StringBuilder("""
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

                | writer | orders/s achieved | CPU ms per order | × plain insert | by process (ms per order) | PostgreSQL by client (ms per order) |
                |---|---:|---:|---:|---|---|
                """.formatted(runs.isEmpty() ? 0 : runs.get(0).rate()));
        for (CpuPerOrderBench.Result r : runs) {
            md.append("| %s | %.0f | %.2f | %.1f× | %s | %s |%n"
                    .formatted(
                            r.writer(),
                            r.achievedPerSecond(),
                            r.msPerOrder(),
                            r.msPerOrder() / floor,
                            list(r.msByProcess()),
                            list(r.postgresMsByClient())));
        }
        md.append("""

                Where the hottest JVM of each path spends its CPU: the methods on top of the most JFR execution samples,
                recorded in a 15-second run at the same rate after the measured one (`jcmd <pid> JFR.start
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
