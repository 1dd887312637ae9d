package dev.dualwrite.lab;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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

import dev.dualwrite.labhooks.Failpoints;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;

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

    static final List<String> FAULT_KINDS = List.of("failpoints", "kill", "kafka", "postgres");

    /** The failpoints a run arms, each at the moment that matters for its process. */
    static final List<Faults.Planned> FAILPOINTS = List.of(
            Faults.Planned.failpoint("order-service-naive", Failpoints.NAIVE_AFTER_COMMIT_BEFORE_PUBLISH, 5),
            Faults.Planned.failpoint("order-service-naive-publish-first", Failpoints.NAIVE_AFTER_PUBLISH_BEFORE_COMMIT, 5),
            Faults.Planned.failpoint("outbox-poller-1", Failpoints.RELAY_AFTER_SEND_BEFORE_MARK, 3),
            Faults.Planned.failpoint("lty-poller-1", Failpoints.RELAY_MID_BATCH, 2),
            Faults.Planned.failpoint("order-consumer", Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET, 40),
            Faults.Planned.failpoint("order-service-listen-to-yourself", Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET, 25));

    private final NativeStack stack;
    private final StackSettings settings;
    private final List<Application> applications;
    private final Duration faultStep;
    private final List<String> killVictims;
    private final Consumer<String> out;

    /**
     * @param faultStep   time between two faults: room for the supervisor to bring back what the last one took down
     * @param killVictims the processes the "kill" faults kill -9, one per step
     */
    LabRun(NativeStack stack, List<Application> applications, Duration faultStep, List<String> killVictims,
           Consumer<String> out) {
        this.stack = stack;
        this.settings = stack.settings();
        this.applications = applications;
        this.faultStep = faultStep;
        this.killVictims = killVictims;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LabCli.options(args);
        StackSettings settings = LabCli.settings();
        LabRun lab = new LabRun(new NativeStack(settings), Application.LAB, Duration.ofSeconds(12), List.of(
                "order-service-outbox", "connect", "outbox-poller-2", "order-consumer", "order-service-log-tailing",
                "lty-poller-2"), System.out::println);
        LabReport report = lab.run(Integer.parseInt(options.getOrDefault("orders", "500")),
                faults(options.getOrDefault("faults", "all")), Double.parseDouble(options.getOrDefault("rate", "7")),
                "./lab.sh run " + String.join(" ", args));
        LabCli.publish(report, options, settings);
        System.exit(report.passed() ? 0 : 1);
    }

    static Set<String> faults(String value) {
        if (value.equals("all")) {
            return Set.copyOf(FAULT_KINDS);
        }
        if (value.equals("none")) {
            return Set.of();
        }
        Set<String> kinds = Set.of(value.split(","));
        if (!FAULT_KINDS.containsAll(kinds)) {
            throw new IllegalArgumentException("--faults takes all, none or some of " + FAULT_KINDS + ", got " + value);
        }
        return kinds;
    }

    /**
     * The plan: one fault per step, {@code faultStep} apart, failpoints and kills taking turns (a failpoint halts a
     * process of another kind than the kill before it); the broker and the database last.
     */
    List<List<Faults.Planned>> plan(Set<String> kinds) {
        List<Faults.Planned> failpoints = kinds.contains("failpoints") ? FAILPOINTS : List.of();
        List<Faults.Planned> kills = kinds.contains("kill") ? killVictims.stream().map(Faults.Planned::kill).toList()
                : List.of();
        List<List<Faults.Planned>> steps = new ArrayList<>();
        for (int i = 0; i < Math.max(failpoints.size(), kills.size()); i++) {
            if (i < failpoints.size()) {
                steps.add(List.of(failpoints.get(i)));
            }
            if (i < kills.size()) {
                steps.add(List.of(kills.get(i)));
            }
        }
        if (kinds.contains("kafka")) {
            steps.add(List.of(Faults.Planned.crash(Faults.Kind.KAFKA)));
        }
        if (kinds.contains("postgres")) {
            steps.add(List.of(Faults.Planned.crash(Faults.Kind.POSTGRES)));
        }
        return steps;
    }

    LabReport run(int ordersPerWriter, Set<String> faultKinds, double ratePerWriter, String command) throws Exception {
        String runId = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        List<List<Faults.Planned>> steps = plan(faultKinds);
        return run(runId, Writer.ALL, ordersPerWriter, outlasting(steps, ordersPerWriter, ratePerWriter), steps, Map.of(),
                Duration.ofSeconds(60), command);
    }

    /** The rate, lowered if need be so that the workload lasts as long as the fault plan: every fault meets traffic. */
    double outlasting(List<List<Faults.Planned>> steps, int ordersPerWriter, double ratePerWriter) {
        return steps.isEmpty() ? ratePerWriter : Math.min(ratePerWriter, ordersPerWriter
                / (double) faultStep.plus(Faults.RESTART_ALLOWANCE).multipliedBy(steps.size() + 2).toSeconds());
    }

    /**
     * One run: {@code variants} replace applications for its length (the mutants); the supervisor restarts them as
     * such; they are put back afterwards.
     */
    LabReport run(String runId, List<Writer> writers, int ordersPerWriter, double ratePerWriter,
                  List<List<Faults.Planned>> steps, Map<String, String> variants, Duration stall, String command)
            throws Exception {
        Instant started = Instant.now();
        Path directory = runDirectory(settings, runId);
        startUnderLabProfile();
        Map<String, Application> byName = new LinkedHashMap<>();
        applications.forEach(application -> byName.put(application.name(), application));
        double rate = ratePerWriter;
        Workload workload = new Workload(writers, runId, ordersPerWriter, rate);
        out.accept("lab run %s: %s; %d orders each at %.1f/s (%d s), %d faults, each %d s after the last one's restart; history in %s".formatted(
                runId, writers.stream().map(Writer::name).toList(), ordersPerWriter, rate, workload.length().toSeconds(),
                steps.size(), faultStep.toSeconds(), directory));
        List<Faults.Fired> fired;
        List<Supervisor.Restart> restarts;
        List<OrderClient> clients = new ArrayList<>();
        try (Supervisor supervisor = new Supervisor(stack, applications, out);
             History history = new History(directory)) {
            swap(variants.entrySet().stream().map(variant -> byName.get(variant.getKey())
                    .with(Map.of("LAB_MUTANTS", variant.getValue()))).toList(), supervisor, "as a mutant");
            Faults faults = new Faults(stack, byName, supervisor::down, out);
            try {
                warmUp(writers, runId);
                faults.start(steps, faultStep);
                workload.run(writer -> {
                    OrderClient client = new OrderClient(writer, writer.application().url(settings), history);
                    clients.add(client);
                    return client;
                }, out);
                out.accept("  workload done after %.0f s".formatted(Duration.between(started, Instant.now()).toMillis() / 1e3));
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
                .map(fault -> LabReport.fault(fault, operations, writers)).toList();
        Map<String, Integer> restartCounts = new TreeMap<>();
        restarts.forEach(restart -> restartCounts.merge(restart.component(), 1, Integer::sum));
        LabReport.Run run = new LabReport.Run(runId, command, started.toString(),
                Duration.between(started, Instant.now()).toSeconds(), ordersPerWriter, rate,
                writers.stream().map(Writer::name).toList(), faultLines, restartCounts);
        run.save(directory);
        return judge(settings, run, operations);
    }

    /**
     * A few orders through each writer before the clock starts (customers "warmup-…", not part of any run), until each
     * answers quickly: a service just started (or restarted as a mutant) is cold, and a burst of open-loop orders into
     * a cold JVM queues up faster than it drains.
     */
    private void warmUp(List<Writer> writers, String runId) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        for (Writer writer : writers) {
            long started = System.nanoTime();
            int quick = 0;
            while (quick < 5 && System.nanoTime() - started < 90_000_000_000L) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                    writer.application().url(settings) + "/api/orders"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"customerId": "warmup-%s", "currency": "EUR",
                                     "items": [{"sku": "warmup", "quantity": 1, "unitPrice": 1.00}]}
                                    """.formatted(runId))).build(), HttpResponse.BodyHandlers.ofString());
                    quick = response.statusCode() == 201 && System.nanoTime() - sent < 250_000_000L ? quick + 1 : 0;
                } catch (java.io.IOException e) {
                    quick = 0;
                    Thread.sleep(500);
                }
            }
            out.accept("  warmed up %s in %.1f s".formatted(writer.name(), (System.nanoTime() - started) / 1e9));
        }
    }

    /** The verdict of a run from its record, its history and what the system holds now. */
    static LabReport judge(StackSettings settings, LabReport.Run run, List<Operation> operations) throws Exception {
        RunReader reader = new RunReader(settings);
        Map<String, LabReport.Judged> judged = new LinkedHashMap<>();
        for (String name : run.writers()) {
            Writer writer = Writer.named(name);
            List<Operation> own = operations.stream().filter(op -> op.writer().equals(name)).toList();
            Verdict verdict = Verdict.judge(name, own, reader.read(run.runId(), writer), writer.selfConfirming());
            judged.put(name, new LabReport.Judged(writer.reliable(), writer.label(), LabReport.achievedRate(own), verdict));
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
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Application> withoutLab = applications.stream()
                .filter(application -> stack.isRunning(application.name()))
                .filter(application -> {
                    try {
                        HttpResponse<String> mutants = http.send(HttpRequest.newBuilder(URI.create(
                                application.url(settings) + "/lab/mutants")).build(), HttpResponse.BodyHandlers.ofString());
                        return mutants.statusCode() != 200 || !mutants.body().equals("[]");
                    } catch (Exception e) {
                        return true;
                    }
                }).toList();
        stack.stopApplications(withoutLab, line -> out.accept("  " + line + " (to restart it under the lab profile)"));
        stack.startInfrastructure(line -> out.accept("  " + line));
        stack.startApplications(applications, line -> out.accept("  " + line));
        stack.registerConnector(line -> out.accept("  " + line));
    }

    static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(LabReport.RUN_FILE));
    }
}
