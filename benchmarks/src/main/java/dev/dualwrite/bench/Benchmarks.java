package dev.dualwrite.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code ./bench.sh [--quick] [--json FILE] [--report FILE] [--only write,relay,latency,keepup]}: the four benchmarks
 * of the native stack, each figure beside the baseline measured in the same invocation; prints as it goes, then
 * writes the Markdown report, its SVG chart and the JSON.
 */
public final class Benchmarks {

    static final List<String> SECTIONS = List.of("write", "relay", "latency", "keepup", "cpu", "tracing");

    /** How long each part runs: the full run, or a quick look at all four in under three minutes. */
    record Sizes(
            Duration writeLength,
            Duration warmUp,
            int relayEvents,
            int peerDrainEvents,
            Duration peerDrainWindow,
            Duration latencyLength,
            List<Integer> latencyRates,
            Duration keepUpLength,
            Duration cpuLength,
            int cpuRate,
            Duration jvmWarmUp) {

        static final Sizes FULL = new Sizes(
                Duration.ofSeconds(10),
                Duration.ofSeconds(3),
                100_000,
                20_000,
                Duration.ofMinutes(2),
                Duration.ofSeconds(60),
                List.of(200, 1000),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                100,
                Duration.ofSeconds(20));
        static final Sizes QUICK = new Sizes(
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                20_000,
                4_000,
                Duration.ofSeconds(30),
                Duration.ofSeconds(4),
                List.of(200),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                50,
                Duration.ofSeconds(3));
    }

    private Benchmarks() {}

    /** The warm-up's rate per writer: enough orders for the JIT to compile every JVM's hot path on the way. */
    private static final int WARM_UP_RATE = 300;

    /**
     * A writer is warm once a warm-up round costs the suite no more than this much less CPU per order than the round
     * before: on two cores a dozen JVMs compile for minutes, and one fixed round left a cold run at twice its warm
     * CPU per order.
     */
    private static final double WARM_UP_STEADY = 0.1;

    private static final int WARM_UP_ROUNDS = 6;

    /**
     * Every JVM on every writer's path runs the hot path before anything is measured — a JVM fresh from its start
     * spends its first minutes interpreting and compiling, and a run right after a start would otherwise report a
     * fraction of a warm run's figures. Then waits until the pipeline is idle.
     */
    private static void warmUp(NativeStack stack, Pipeline pipeline, Duration length, boolean peers) throws Exception {
        System.out.printf(
                "warming every JVM: %d orders/s for %d s through each writer and its pipeline, unmeasured, repeated"
                        + " until the suite's CPU per order stops falling (within %.0f%%, at most %d rounds)%n",
                WARM_UP_RATE, length.toSeconds(), WARM_UP_STEADY * 100, WARM_UP_ROUNDS);
        List<Long> suite = suitePids(stack);
        suite.stream().filter(JfrProfile::isJvm).forEach(JfrProfile::prime);
        for (Map.Entry<String, String> writer :
                Services.writers(stack.settings(), peers).entrySet()) {
            warmUp(suite, pipeline, writer.getKey(), writer.getValue(), length);
        }
    }

    /** The pids of every running process of the suite (infrastructure and applications): whose CPU a warm-up watches. */
    static List<Long> suitePids(NativeStack stack) {
        Map<String, Long> processes = new LinkedHashMap<>(suiteProcesses(stack));
        processes.remove(Suite.CONSOLE.name());
        return List.copyOf(processes.values());
    }

    /** Every running process of the suite by name, the console's too (not the benchmark's own JVM). */
    static Map<String, Long> suiteProcesses(NativeStack stack) {
        Map<String, Long> processes = new LinkedHashMap<>();
        Stream.concat(
                        Stream.of("postgres", "kafka", "connect"),
                        Suite.EVERY_INSTANCE.stream().map(Application::name))
                .forEach(name -> stack.running(name).ifPresent(process -> processes.put(name, process.pid())));
        return processes;
    }

    /** One writer's path warmed, in rounds, until a round costs the suite no less CPU per order than the one before. */
    static void warmUp(List<Long> suite, Pipeline pipeline, String name, String url, Duration length) throws Exception {
        double last = Double.MAX_VALUE;
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            double before = suite.stream().mapToDouble(ProcessCpu::seconds).sum();
            OpenLoop.Outcome outcome = OpenLoop.create(url, "bench-warm-up-", WARM_UP_RATE, length);
            pipeline.awaitIdle();
            double msPerOrder = (suite.stream().mapToDouble(ProcessCpu::seconds).sum() - before)
                    * 1000
                    / Math.max(1, outcome.created());
            System.out.printf(
                    "  %-26s round %d: %6d orders, %6.2f ms CPU per order (whole suite)%n",
                    name, round, outcome.created(), msPerOrder);
            if (msPerOrder > last * (1 - WARM_UP_STEADY)) {
                break;
            }
            last = msPerOrder;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        StackSettings settings = StackSettings.fromEnvironment(
                StackSettings.findHome(Path.of(System.getProperty("dualwrite.home", "."))), System.getenv());
        boolean quick = options.containsKey("quick");
        // --peers: namastack-outbox and Spring Modulith beside the patterns (docs/peers.md)
        boolean peers = options.containsKey("peers");
        Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
        // with --peers every section but tracing (the outbox measured against itself), into a report of its own
        List<String> everySection = peers
                ? SECTIONS.stream()
                        .filter(section -> !section.equals("tracing"))
                        .toList()
                : SECTIONS;
        Set<String> sections = Set.copyOf(List.of(
                options.getOrDefault("only", String.join(",", everySection)).split(",")));
        if (!SECTIONS.containsAll(sections)) {
            throw new IllegalArgumentException("--only takes some of " + SECTIONS + ", got " + sections);
        }
        String name = peers ? "peers-benchmarks" : "benchmarks";
        Path json = Path.of(options.getOrDefault(
                "json", settings.home().resolve("docs/" + name + ".json").toString()));
        Path report = Path.of(options.getOrDefault(
                "report", settings.home().resolve("docs/" + name + ".md").toString()));
        String command = ("./bench.sh " + String.join(" ", args)).trim();
        if (options.containsKey("cpu-baseline") && !sections.contains("cpu")) {
            throw new IllegalArgumentException("--cpu-baseline compares the cpu section, which --only leaves out");
        }
        // read before anything runs: a baseline that does not compare should not cost a run first
        CpuSection.Baseline cpuBaseline = CpuSection.Baseline.read(options.get("cpu-baseline"), sizes.cpuRate());

        NativeStack stack = new NativeStack(settings);
        System.out.println(
                "making sure the stack runs, with the naive service (8086) and the plain-insert baseline (8087)");
        ensureStack(stack, peers);

        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(settings.jdbcUrl());
        dataSource.setUsername(settings.username());
        dataSource.setPassword(settings.password());
        dataSource.setMaximumPoolSize(4);
        dataSource.addDataSourceProperty("ApplicationName", "bench"); // its own line in PostgreSQL's CPU split
        JdbcClient jdbc = JdbcClient.create(dataSource);
        BenchReport results = new BenchReport(command, quick, Environment.describe(stack, jdbc));
        Pipeline pipeline = new Pipeline(stack, jdbc, peers);
        long started = System.nanoTime();
        warmUp(stack, pipeline, sizes.jvmWarmUp(), peers);
        if (sections.contains("write")) {
            System.out.printf(
                    "write path: closed-loop clients, %d s per service and concurrency, pipeline paused then running%n",
                    sizes.writeLength().toSeconds());
            results.add(new WritePathSection(new WritePathBench(
                            settings, Services.writers(settings, peers), pipeline, sizes.writeLength(), sizes.warmUp())
                    .run(List.of(1, 8, 32))));
        }
        if (sections.contains("relay")) {
            System.out.printf(
                    "relay drain: a backlog of %d events, beside the raw producer and raw SQL ceilings%n",
                    sizes.relayEvents());
            RelayDrainBench relay = new RelayDrainBench(settings, sizes.relayEvents());
            Map<String, Double> rates = relay.run();
            Map<String, Map<Integer, PeerDrainBench.Drain>> peerDrains = Map.of();
            if (peers) {
                System.out.printf(
                        "the peers' drain: a backlog of %d events in each library's table, at most %d s each%n",
                        sizes.peerDrainEvents(), sizes.peerDrainWindow().toSeconds());
                peerDrains = new PeerDrainBench(jdbc, pipeline, sizes.peerDrainEvents(), sizes.peerDrainWindow()).run();
            }
            results.add(new RelayDrainSection(
                    sizes.relayEvents(),
                    rates,
                    relay.onePollerByEventsPerOrder(),
                    relay.onePollerOneRoundByEventsPerOrder(),
                    relay.twoPollersByEventsPerOrder(),
                    relay.rawSqlByEventsPerOrder(),
                    relay.onePollerBusyByEventsPerOrder(),
                    relay.rawSqlBusyByEventsPerOrder(),
                    relay.rawProducerBusy(),
                    relay.backgroundBusy(),
                    WindowCpu.cores(),
                    relay.profile(),
                    peerDrains));
        }
        if (sections.contains("latency")) {
            System.out.printf(
                    "end-to-end latency, commit → applied by order-consumer: %d s per pattern and rate%n",
                    sizes.latencyLength().toSeconds());
            Map<String, String> services = new LinkedHashMap<>(Services.patterns(settings, peers));
            services.put(Pattern.NAIVE_DUAL_WRITE.name(), Suite.NAIVE.service().url(settings));
            // whose CPU each window used: the suite's processes and this client
            Map<String, Long> processes = new LinkedHashMap<>(suiteProcesses(stack));
            processes.put("bench (client)", ProcessHandle.current().pid());
            results.add(new LatencySection(new LatencyBench(jdbc, services, pipeline, processes, sizes.latencyLength())
                    .run(sizes.latencyRates())));
        }
        if (sections.contains("keepup")) {
            System.out.printf(
                    "keep-up: %d clients at full speed for %d s per pattern, backlog sampled every second%n",
                    KeepUpBench.CLIENTS, sizes.keepUpLength().toSeconds());
            results.add(new KeepUpSection(new KeepUpBench(settings, jdbc, pipeline, sizes.keepUpLength())
                    .run(Services.patterns(settings, peers))));
        }
        if (sections.contains("cpu")) {
            System.out.printf(
                    "CPU per order: %d orders/s for %d s per writer after as long a warm-up, every process on its path,"
                            + " from /proc%n",
                    sizes.cpuRate(), sizes.cpuLength().toSeconds());
            results.add(new CpuSection(
                    new CpuPerOrderBench(stack, jdbc, pipeline, sizes.cpuLength(), sizes.cpuLength(), sizes.cpuRate())
                            .run(Services.writers(settings, peers)),
                    cpuBaseline));
        }
        if (sections.contains("tracing")) {
            System.out.printf(
                    "tracing's cost: the outbox's path restarted sampling everything and nothing, write path (c=32)"
                            + " and CPU per order at %d/s at each%n",
                    sizes.cpuRate());
            results.add(new TracingCostSection(
                    new TracingCostBench(stack, jdbc, pipeline, Suite.ORDER_CONSUMER, sizes).run()));
        }
        dataSource.close();
        results.elapsed(Duration.ofNanos(System.nanoTime() - started));

        Files.createDirectories(report.toAbsolutePath().getParent());
        Path chart = report.resolveSibling(report.getFileName().toString().replaceFirst("\\.md$", "") + ".svg");
        Files.writeString(chart, results.chart());
        Files.writeString(report, results.markdown(chart.getFileName().toString()));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, results.json());
        System.out.printf(
                "done in %d s; report: %s, chart: %s, json: %s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), report, chart, json);
        System.exit(0);
    }

    /**
     * Starts what is missing: the infrastructure, every application, the naive service, the plain-insert baseline,
     * the connector — never under the lab profile, whose failpoint endpoints halt JVMs. The console is stopped: it
     * samples every process once a second, which is no part of any writer's cost (./start_all_services.sh starts it
     * again); so are the peers (./start_all_services.sh --peers), whose schedulers poll on the same two cores.
     */
    private static void ensureStack(NativeStack stack, boolean peers) throws Exception {
        if (!stack.settings().appProfiles().isBlank()) {
            throw new IllegalStateException("the benchmarks run the applications without profiles; unset "
                    + "SPRING_PROFILES_ACTIVE (was: " + stack.settings().appProfiles() + ")");
        }
        stack.stopApplications(
                Stream.concat(Stream.of(Suite.CONSOLE), peers ? Stream.of() : Suite.PEER_INSTANCES.stream())
                        .toList(),
                line -> System.out.println("  " + line));
        stack.startInfrastructure(line -> System.out.println("  " + line));
        stack.startApplications(
                Stream.of(
                                Suite.WITH_NAIVE.stream(),
                                Stream.of(Suite.PLAIN_INSERT),
                                peers ? Suite.PEER_INSTANCES.stream() : Stream.<Application>of())
                        .flatMap(applications -> applications)
                        .toList(),
                line -> System.out.println("  " + line));
        stack.registerConnector(line -> System.out.println("  " + line));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + name + " (try --help)");
            }
            if (name.equals("--quick") || name.equals("--peers")) {
                options.put(name.substring(2), "true");
            } else if (rest.isEmpty()) {
                throw new IllegalArgumentException(name + " needs a value");
            } else {
                options.put(name.substring(2), rest.remove(0));
            }
        }
        Set<String> known = Set.of("quick", "peers", "json", "report", "only", "cpu-baseline");
        options.keySet().stream()
                .filter(name -> !known.contains(name))
                .findFirst()
                .ifPresent(name -> {
                    throw new IllegalArgumentException("unknown option --" + name
                            + " (known: --quick, --peers, --json, --report, --only, --cpu-baseline)");
                });
        return options;
    }
}
