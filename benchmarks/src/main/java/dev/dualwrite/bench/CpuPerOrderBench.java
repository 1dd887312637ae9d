package dev.dualwrite.bench;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * CPU per order: for each writer, the CPU time of every process on its path (its service; its pollers or the Connect
 * worker; Kafka; PostgreSQL with its backends; order-consumer) while an open-loop client creates orders at a fixed
 * rate and until order-consumer has applied them all — less what the same processes use idle over as long — divided
 * by the orders. The plain insert (its service and PostgreSQL) is the floor, the naive dual write the pipeline-free
 * comparison. Read from /proc, so Linux only. The hottest JVM is then profiled with JFR in a short run of its own (JFR's
 * periodic events are a large share of a JVM that idles between orders, so no recording runs while CPU is counted).
 */
final class CpuPerOrderBench {

    /**
     * @param msByProcess CPU milliseconds per order of each process on the path, idle use subtracted
     * @param hottest     the JVM on the path that used the most CPU per order
     * @param topFrames   where its CPU went: the methods on top of the most of its JFR execution samples
     * @param topLibraries the same samples by library (package)
     * @param postgresMsByClient PostgreSQL's part of it by client ({@link PostgresBackends}), idle use subtracted
     */
    record Result(
            String writer,
            int rate,
            double achievedPerSecond,
            long orders,
            Map<String, Double> msByProcess,
            String hottest,
            List<JfrProfile.Frame> topFrames,
            List<JfrProfile.Frame> topLibraries,
            Map<String, Double> postgresMsByClient) {
        double msPerOrder() {
            return msByProcess.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }
    }

    /**
     * Orders of this run that order-consumer has applied in their final version (2 for a self-confirmed one). By the
     * writer's pattern and creation time first (orders_pattern_created_at_idx): filtered on the customer alone it read
     * the whole orders table, hundreds of thousands of rows after the other sections, five times a second, and that
     * counted as the path's PostgreSQL CPU (0.12 ms per order, "bench" in the split, 0.01 in the baseline run).
     */
    private static final String APPLIED = """
            SELECT count(*) FROM orders o JOIN consumed_orders c ON c.order_id = o.id
             WHERE o.pattern = :pattern AND o.created_at >= :since AND o.customer_id LIKE :run
               AND c.version >= :version
            """;

    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);

    private final NativeStack stack;
    private final JdbcClient jdbc;
    private final Pipeline pipeline;
    private final Duration length;
    private final Duration warmUp;
    private final int rate;

    /**
     * @param warmUp how long each writer's path runs at the rate, unmeasured, first: a cold JVM spends its first
     *               minutes compiling, which is no order's cost
     */
    CpuPerOrderBench(
            NativeStack stack, JdbcClient jdbc, Pipeline pipeline, Duration length, Duration warmUp, int rate) {
        this.stack = stack;
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.length = length;
        this.warmUp = warmUp;
        this.rate = rate;
    }

    List<Result> run(Map<String, String> writers) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, String> writer : writers.entrySet()) {
            OpenLoop.create(writer.getValue(), "bench-cpu-warm-up-", rate, warmUp);
            pipeline.awaitIdle();
            pipeline.vacuum();
            pipeline.checkpoint();
            Result result = measure(writer.getKey(), writer.getValue());
            System.out.printf(
                    "  %-26s %4d/s (achieved %5.1f/s)  %6d orders  %6.2f ms CPU per order  %s%n"
                            + "    postgres by client: %s%n"
                            + "    hottest JVM %s: %s%n",
                    result.writer(),
                    rate,
                    result.achievedPerSecond(),
                    result.orders(),
                    result.msPerOrder(),
                    format(result.msByProcess()),
                    format(result.postgresMsByClient()),
                    result.hottest(),
                    result.topLibraries().stream()
                            .limit(4)
                            .map(frame -> "%s %.0f%%".formatted(frame.method(), frame.percent()))
                            .toList());
            results.add(result);
        }
        return results;
    }

    /** The processes a writer's orders and events pass through, by the names the launcher knows them by. */
    static List<String> path(String writer) {
        if (writer.equals(Services.PLAIN_INSERT)) {
            return List.of(Suite.PLAIN_INSERT.name(), "postgres");
        }
        Suite.Deployment deployment = Stream.of(Suite.PATTERNS.stream(), Stream.of(Suite.NAIVE), Suite.PEERS.stream())
                .flatMap(deployments -> deployments)
                .filter(candidate -> candidate.pattern().name().equals(writer))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no deployment for " + writer));
        List<String> path = new ArrayList<>();
        path.add(deployment.service().name());
        deployment.relays().stream().map(Application::name).forEach(path::add);
        if (deployment.pattern() == Pattern.TRANSACTIONAL_LOG_TAILING) {
            path.add("connect");
        }
        path.addAll(List.of("kafka", "postgres", Suite.ORDER_CONSUMER.name()));
        return path;
    }

    private Result measure(String writer, String baseUrl) throws Exception {
        List<String> path = path(writer);
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String process : path) {
            pids.put(
                    process,
                    stack.running(process)
                            .orElseThrow(() -> new IllegalStateException(process + " is not running"))
                            .pid());
        }
        PostgresBackends backends = PostgresBackends.now(jdbc);
        Map<String, Double> idleBefore = idle(pids, backends);

        String run = "bench-cpu-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> jvms = path.stream()
                .filter(process -> JfrProfile.isJvm(pids.get(process)))
                .toList();
        Map<String, Double> start = cpu(pids, backends);
        Instant since = Instant.now().minusSeconds(1);
        long started = System.nanoTime();
        int orders = OpenLoop.create(baseUrl, run, rate, length).created();
        if (!writer.equals(Services.PLAIN_INSERT)) {
            int version = Services.eventsPerCreate(writer);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (applied(writer, since, run, version) < orders && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Double> end = cpu(pids, backends);
        // Idle use, the lower of before and after the run: a JVM may still be compiling in either window, which
        // would otherwise be subtracted from the orders' cost as if it were idle.
        Map<String, Double> idleAfter = idle(pids, backends);
        Map<String, Double> idlePerSecond = new LinkedHashMap<>();
        idleBefore.forEach((process, rate) -> idlePerSecond.put(process, Math.min(rate, idleAfter.get(process))));
        Path recordings = Files.createDirectories(stack.settings().runDir().resolve("bench/jfr"));
        Map<String, Double> msPerOrder = new LinkedHashMap<>();
        Map<String, Double> postgresMsByClient = new LinkedHashMap<>();
        for (String key : start.keySet()) {
            double used = end.get(key) - start.get(key) - idlePerSecond.get(key) * seconds;
            double ms = Double.isNaN(used) ? 0 : Math.max(0, used) * 1000 / Math.max(1, orders);
            if (key.startsWith(POSTGRES_CLIENT)) {
                // a backend that ended in any reading (NaN) is left out: its CPU went to the postmaster's total
                postgresMsByClient.merge(client(key), ms, Double::sum);
            } else {
                msPerOrder.put(key, ms);
            }
        }
        // The postmaster's total less its backends': autovacuum workers and connections that came and went.
        postgresMsByClient.put(
                "other (autovacuum, short-lived backends)",
                Math.max(
                        0,
                        msPerOrder.get("postgres")
                                - postgresMsByClient.values().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .sum()));
        String hottest =
                jvms.stream().max(Comparator.comparingDouble(msPerOrder::get)).orElseThrow();
        // Profiled in a run of its own, after the measured one: JFR's periodic events cost a JVM that idles between
        // orders a large share of its own CPU, which the figures above must not include.
        JfrProfile.start(pids.get(hottest));
        OpenLoop.create(baseUrl, run + "profile-", rate, length.dividedBy(2));
        JfrProfile.stop(pids.get(hottest), recordings.resolve(writer + "-" + hottest + ".jfr"));
        return new Result(
                writer,
                rate,
                orders / (length.toNanos() / 1e9),
                orders,
                msPerOrder,
                hottest,
                JfrProfile.topFrames(recordings.resolve(writer + "-" + hottest + ".jfr"), 8),
                JfrProfile.topLibraries(recordings.resolve(writer + "-" + hottest + ".jfr"), 8),
                postgresMsByClient);
    }

    private long applied(String pattern, Instant since, String run, int version) {
        return jdbc.sql(APPLIED)
                .param("pattern", pattern)
                .param("since", Timestamp.from(since))
                .param("run", run + "%")
                .param("version", version)
                .query(Long.class)
                .single();
    }

    /** Prefixes PostgreSQL's backends among the processes of a reading: "postgres/<client>/<pid>". */
    private static final String POSTGRES_CLIENT = "postgres/";

    private static String client(String backendKey) {
        return backendKey.substring(POSTGRES_CLIENT.length(), backendKey.lastIndexOf('/'));
    }

    /** CPU seconds of each process, and of each PostgreSQL backend (NaN once it has ended). */
    private static Map<String, Double> cpu(Map<String, Long> pids, PostgresBackends backends) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((process, pid) -> seconds.put(process, ProcessCpu.seconds(pid)));
        backends.seconds().forEach((backend, cpu) -> seconds.put(POSTGRES_CLIENT + backend, cpu));
        return seconds;
    }

    /** CPU seconds per second of each process (and PostgreSQL client) over the idle window. */
    private static Map<String, Double> idle(Map<String, Long> pids, PostgresBackends backends)
            throws InterruptedException {
        Map<String, Double> start = cpu(pids, backends);
        Thread.sleep(IDLE_WINDOW.toMillis());
        return perSecond(start, cpu(pids, backends), IDLE_WINDOW.toNanos() / 1e9);
    }

    private static Map<String, Double> perSecond(Map<String, Double> from, Map<String, Double> to, double seconds) {
        Map<String, Double> rates = new LinkedHashMap<>();
        from.forEach((process, cpu) -> rates.put(process, (to.get(process) - cpu) / seconds));
        return rates;
    }

    private static String format(Map<String, Double> msByProcess) {
        StringBuilder line = new StringBuilder();
        msByProcess.forEach((process, ms) -> line.append("%s %.2f  ".formatted(process, ms)));
        return line.toString().strip();
    }
}
