package dev.dualwrite.lab;

import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.OrdersApi;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The consistency lab: the three patterns and the naive dual write (in both orders of its two writes) under the same
 * workload at the same time and the same faults, then the verdict from the client history, the database and every
 * topic read from the beginning.
 *
 * <pre>./lab.sh run --orders N --faults all|none|failpoints,kill,kafka,postgres [--rate R] [--json FILE] [--report FILE]</pre>
 *
 * The applications run under the "lab" profile (./lab.sh starts them so): only there are the lab's hooks loaded.
 */
public final class LabRun {

    private final NativeStack stack;
    private final StackSettings settings;
    private final List<Application> applications;
    private final FaultPlan faultPlan;
    private final Consumer<String> out;

    LabRun(NativeStack stack, List<Application> applications, FaultPlan faultPlan, Consumer<String> out) {
        this.stack = stack;
        this.settings = stack.settings();
        this.applications = applications;
        this.faultPlan = faultPlan;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LabCli.options(args);
        StackSettings settings = LabCli.settings();
        // --peers: namastack-outbox and Spring Modulith beside the patterns, two instances each, under their own faults
        boolean peers = options.containsKey("peers");
        if (!peers) {
            // left running by an earlier --peers run or ./start_all_services.sh --peers: not part of this run
            new NativeStack(settings).stopApplications(Suite.PEER_INSTANCES, line -> System.out.println("  " + line));
        }
        LabRun lab = new LabRun(
                new NativeStack(settings),
                peers
                        ? Stream.concat(Suite.LAB.stream(), Suite.PEER_INSTANCES.stream())
                                .toList()
                        : Suite.LAB,
                peers ? FaultPlan.WITH_PEERS : FaultPlan.DEFAULT,
                System.out::println);
        LabReport report = lab.run(
                peers ? Writer.KNOWN : Writer.ALL,
                Integer.parseInt(options.getOrDefault("orders", "500")),
                FaultPlan.kinds(options.getOrDefault("faults", "all")),
                Double.parseDouble(options.getOrDefault("rate", "7")),
                "./lab.sh run " + String.join(" ", args));
        LabCli.publish(report, options, settings);
        System.exit(report.passed() ? 0 : 1);
    }

    LabReport run(
            List<Writer> writers, int ordersPerWriter, Set<String> faultKinds, double ratePerWriter, String command)
            throws Exception {
        String runId = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        List<List<Faults.Planned>> steps = faultPlan.steps(faultKinds);
        return run(
                runId,
                writers,
                ordersPerWriter,
                faultPlan.outlasting(steps, ordersPerWriter, ratePerWriter),
                steps,
                Map.of(),
                Duration.ofSeconds(60),
                command);
    }

    /**
     * One run: {@code variants} replace applications for its length (the mutants); the supervisor restarts them as
     * such; they are put back afterwards.
     */
    LabReport run(
            String runId,
            List<Writer> writers,
            int ordersPerWriter,
            double ratePerWriter,
            List<List<Faults.Planned>> steps,
            Map<String, String> variants,
            Duration stall,
            String command)
            throws Exception {
        Instant started = Instant.now();
        Path directory = runDirectory(settings, runId);
        startUnderLabProfile();
        Map<String, Application> byName = new LinkedHashMap<>();
        applications.forEach(application -> byName.put(application.name(), application));
        double rate = ratePerWriter;
        Workload workload = new Workload(writers, runId, ordersPerWriter, rate);
        out.accept(
                "lab run %s: %s; %d orders each at %.1f/s (%d s), %d faults, each %d s after the last one's restart; history in %s"
                        .formatted(
                                runId,
                                writers.stream().map(Writer::name).toList(),
                                ordersPerWriter,
                                rate,
                                workload.length().toSeconds(),
                                steps.size(),
                                faultPlan.step().toSeconds(),
                                directory));
        List<Faults.Fired> fired;
        List<Supervisor.Restart> restarts;
        int placed = ordersPerWriter;
        List<OrderClient> clients = new ArrayList<>();
        try (Supervisor supervisor = new Supervisor(stack, applications, out);
                History history = new History(directory)) {
            swap(
                    variants.entrySet().stream()
                            .map(variant ->
                                    byName.get(variant.getKey()).with(Map.of("LAB_MUTANTS", variant.getValue())))
                            .toList(),
                    supervisor,
                    "as a mutant");
            Faults faults = new Faults(stack, byName, supervisor::down, out);
            try {
                warmUp(writers, runId);
                faults.start(steps, faultPlan.step());
                placed = workload.run(
                        writer -> {
                            OrderClient client =
                                    new OrderClient(writer, writer.application().url(settings), history);
                            clients.add(client);
                            return client;
                        },
                        faults::injecting,
                        out);
                out.accept("  workload done after %.0f s: %d orders per writer%s"
                        .formatted(
                                Duration.between(started, Instant.now()).toMillis() / 1e3,
                                placed,
                                placed > ordersPerWriter
                                        ? " (%d more than planned: the faults were still coming)"
                                                .formatted(placed - ordersPerWriter)
                                        : ""));
                faults.awaitInjected(stall);
                supervisor.awaitAllUp();
                new Settling(new RunReader(settings), out).await(runId, writers, stall);
            } finally {
                // Failpoints still armed are disarmed whatever happened: none is left for the next run.
                fired = faults.finish();
                clients.forEach(OrderClient::close);
                swap(variants.keySet().stream().map(byName::get).toList(), supervisor, "back from mutant");
            }
            restarts = supervisor.restarts();
        }
        List<Operation> operations = History.read(directory);
        List<LabReport.Fault> faultLines = Faults.withRestarts(fired, restarts).stream()
                .map(fault -> LabReport.fault(fault, operations, writers))
                .toList();
        Map<String, Integer> restartCounts = new TreeMap<>();
        restarts.forEach(restart -> restartCounts.merge(restart.component(), 1, Integer::sum));
        LabReport.Run run = new LabReport.Run(
                runId,
                command,
                started.toString(),
                Duration.between(started, Instant.now()).toSeconds(),
                placed,
                rate,
                writers.stream().map(Writer::name).toList(),
                faultLines,
                restartCounts);
        run.save(directory);
        return judge(settings, run, operations);
    }

    /**
     * A few orders through each writer before the clock starts (customers "warmup-…", not part of any run), until each
     * answers quickly: a service just started (or restarted as a mutant) is cold, and a burst of open-loop orders into
     * a cold JVM queues up faster than it drains.
     */
    private void warmUp(List<Writer> writers, String runId) throws InterruptedException {
        HttpClient http = OrdersApi.client();
        for (Writer writer : writers) {
            long started = System.nanoTime();
            int quick = 0;
            while (quick < 5 && System.nanoTime() - started < 90_000_000_000L) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<Void> response = http.send(
                            OrdersApi.create(
                                    writer.application().url(settings),
                                    "warmup-" + runId,
                                    "warmup",
                                    1,
                                    null,
                                    Duration.ofSeconds(10)),
                            HttpResponse.BodyHandlers.discarding());
                    quick = response.statusCode() == 201 && System.nanoTime() - sent < 250_000_000L ? quick + 1 : 0;
                } catch (IOException e) {
                    quick = 0;
                    Thread.sleep(500);
                }
            }
            out.accept("  warmed up %s in %.1f s".formatted(writer.name(), (System.nanoTime() - started) / 1e9));
        }
        awaitWarmUpDownstream(runId);
    }

    private static final String WARM_UP_NOT_APPLIED = """
            SELECT count(*) FROM orders o
             WHERE o.customer_id = ?
               AND NOT EXISTS (SELECT 1 FROM consumed_orders c WHERE c.order_id = o.id AND c.version >= o.version)
            """;

    /**
     * Until order-consumer has applied every warm-up order in its latest version (a listen-to-yourself order once its
     * confirmation is through): the whole way is warm before a fault is armed. A relay
     * creates its Kafka producer on its first record, which took seconds on a loaded machine; a failpoint armed
     * meanwhile fired on a batch of warm-up orders, whose loss no verdict counts (CI: "relay-marks-before-ack: lost =
     * 0").
     */
    private void awaitWarmUpDownstream(String runId) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(120).toNanos();
        long behind = -1;
        while (System.nanoTime() < deadline) {
            try (Connection connection = new RunReader(settings).connect();
                    PreparedStatement query = connection.prepareStatement(WARM_UP_NOT_APPLIED)) {
                query.setString(1, "warmup-" + runId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    behind = rows.getLong(1);
                }
            } catch (SQLException e) {
                behind = -1;
            }
            if (behind == 0) {
                out.accept("  warm-up orders applied downstream after %.1f s"
                        .formatted((System.nanoTime() - started) / 1e9));
                return;
            }
            Thread.sleep(200);
        }
        out.accept("  warm-up orders not all applied downstream within 120 s (%d behind); going on".formatted(behind));
    }

    /** The verdict of a run from its record, its history and what the system holds now. */
    static LabReport judge(StackSettings settings, LabReport.Run run, List<Operation> operations) throws Exception {
        RunReader reader = new RunReader(settings);
        Map<String, LabReport.Judged> judged = new LinkedHashMap<>();
        for (String name : run.writers()) {
            Writer writer = Writer.named(name);
            List<Operation> own =
                    operations.stream().filter(op -> op.writer().equals(name)).toList();
            Verdict verdict = Verdict.judge(name, own, reader.read(run.runId(), writer), writer.selfConfirming());
            judged.put(
                    name,
                    new LabReport.Judged(writer.reliable(), writer.label(), LabReport.achievedRate(own), verdict));
        }
        return new LabReport(run, judged, LabReport.loadMutants(settings.home().resolve(LabCli.MUTANTS_JSON)));
    }

    static Path runDirectory(StackSettings settings, String runId) {
        return settings.runDir().resolve("lab").resolve(runId);
    }

    /**
     * Replaces running applications by other variants of themselves: the supervisor is told first, so that when they
     * are stopped it is the supervisor that starts them again, as the new variant (no second starter to race with).
     */
    private void swap(List<Application> replacements, Supervisor supervisor, String why) throws InterruptedException {
        if (replacements.isEmpty()) {
            return;
        }
        replacements.forEach(supervisor::use);
        stack.stopApplications(replacements, line -> out.accept("  " + line + " (to start it " + why + ")"));
        supervisor.awaitAllUp();
    }

    /**
     * Starts what is missing and restarts, under the "lab" profile, every application that runs without it (only
     * there are the lab's hooks loaded) or as a mutant (left over by an interrupted ./lab.sh mutants). The launched applications inherit SPRING_PROFILES_ACTIVE=lab from ./lab.sh.
     */
    void startUnderLabProfile() {
        if (!List.of(settings.appProfiles().split(",")).contains("lab")) {
            throw new IllegalStateException("run the lab through ./lab.sh (it sets SPRING_PROFILES_ACTIVE=lab)");
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Application> withoutLab = applications.stream()
                .filter(application -> stack.isRunning(application.name()))
                .filter(application -> {
                    try {
                        HttpResponse<String> mutants = http.send(
                                HttpRequest.newBuilder(URI.create(application.url(settings) + "/lab/mutants"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        return mutants.statusCode() != 200 || !mutants.body().equals("[]");
                    } catch (Exception e) {
                        return true;
                    }
                })
                .toList();
        stack.stopApplications(withoutLab, line -> out.accept("  " + line + " (to restart it under the lab profile)"));
        stack.startInfrastructure(line -> out.accept("  " + line));
        stack.startApplications(applications, line -> out.accept("  " + line));
        stack.registerConnector(line -> out.accept("  " + line));
    }

    static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(LabReport.RUN_FILE));
    }
}
