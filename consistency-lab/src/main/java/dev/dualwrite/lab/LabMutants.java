package dev.dualwrite.lab;

import dev.dualwrite.labhooks.Failpoints;
import dev.dualwrite.labhooks.Mutants;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.NativeStack;
import dev.dualwrite.stack.StackSettings;
import dev.dualwrite.stack.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proves the verdict's detectors can fire: small lab runs against deliberately broken variants of our own code (the
 * lab-hooks module's mutants, started through the libraries' extension points) with the fault that exposes each, and
 * the detector that must count it.
 *
 * <pre>./lab.sh mutants [--only name,name] [--json FILE]</pre>
 *
 * Prints mutant | expected detector | its count | caught and "mutants caught k/k"; writes docs/mutants.json, which the
 * consistency report shows. Exits 1 when a mutant got through.
 */
public final class LabMutants {

    /**
     * One broken variant: which writer's run shows it, which applications start as the mutant, the faults that expose
     * it, and the verdict columns of which at least one must count it.
     */
    record Scenario(
            String name,
            Writer writer,
            List<String> mutated,
            String mutant,
            List<Faults.Planned> faults,
            List<String> detectors) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario(
                    Mutants.RELAY_MARKS_BEFORE_ACK,
                    Writer.OUTBOX,
                    List.of("outbox-poller-1", "outbox-poller-2"),
                    Mutants.RELAY_MARKS_BEFORE_ACK,
                    List.of(
                            Faults.Planned.failpoint("outbox-poller-1", Failpoints.RELAY_MID_BATCH, 1),
                            Faults.Planned.failpoint("outbox-poller-2", Failpoints.RELAY_MID_BATCH, 1)),
                    List.of("lost")),
            new Scenario(
                    Mutants.RELAY_IGNORES_ORDER_IN_FLIGHT,
                    Writer.OUTBOX,
                    List.of("outbox-poller-1", "outbox-poller-2"),
                    Mutants.RELAY_IGNORES_ORDER_IN_FLIGHT,
                    List.of(),
                    List.of("reorders")),
            new Scenario(
                    Mutants.CONSUMER_SKIPS_IDEMPOTENCY,
                    Writer.LISTEN_TO_YOURSELF,
                    List.of("order-consumer", "order-service-listen-to-yourself"),
                    Mutants.CONSUMER_SKIPS_IDEMPOTENCY,
                    List.of(
                            Faults.Planned.failpoint(
                                    "order-service-listen-to-yourself",
                                    Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET,
                                    10),
                            Faults.Planned.failpoint(
                                    "order-consumer", Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET, 20)),
                    List.of("duplicateEffects", "deadLettered")),
            new Scenario(
                    "naive-publish-then-commit",
                    Writer.NAIVE_PUBLISH_FIRST,
                    List.of(),
                    null,
                    List.of(Faults.Planned.failpoint(
                            "order-service-naive-publish-first", Failpoints.NAIVE_AFTER_PUBLISH_BEFORE_COMMIT, 5)),
                    List.of("phantom")),
            new Scenario(
                    Mutants.EVENT_ROW_AFTER_COMMIT,
                    Writer.OUTBOX,
                    List.of("order-service-outbox"),
                    Mutants.EVENT_ROW_AFTER_COMMIT,
                    List.of(Faults.Planned.failpoint(
                            "order-service-outbox", Failpoints.ORDER_AFTER_COMMIT_BEFORE_EVENT_ROW, 8)),
                    List.of("lost")),
            new Scenario(
                    Mutants.LOST_UPDATE,
                    Writer.OUTBOX,
                    List.of("order-service-outbox"),
                    Mutants.LOST_UPDATE,
                    List.of(),
                    List.of("conflicting")));

    private LabMutants() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = LabCli.options(args);
        StackSettings settings = LabCli.settings();
        List<String> only = options.containsKey("only")
                ? Arrays.asList(options.get("only").split(","))
                : SCENARIOS.stream().map(Scenario::name).toList();
        List<LabReport.Mutant> results = run(
                new NativeStack(settings),
                Suite.LAB,
                SCENARIOS.stream()
                        .filter(scenario -> only.contains(scenario.name()))
                        .toList(),
                80,
                System.out::println);
        String table = LabReport.mutantsMarkdown(results);
        System.out.println();
        System.out.print(table);
        String json = JsonMapper.builder()
                .build()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("mutants", results));
        Path file = settings.home().resolve(LabCli.MUTANTS_JSON);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        System.out.println("json: " + file);
        if (options.containsKey("json")) {
            Files.writeString(Path.of(options.get("json")), json);
            System.out.println("json: " + options.get("json"));
        }
        System.exit(results.stream().allMatch(LabReport.Mutant::caught) ? 0 : 1);
    }

    /** Runs each scenario as a small lab run of its own and reads its detector off the verdict. */
    static List<LabReport.Mutant> run(
            NativeStack stack,
            List<Application> applications,
            List<Scenario> scenarios,
            int orders,
            Consumer<String> out)
            throws Exception {
        FaultPlan plan = new FaultPlan(Duration.ofSeconds(2), List.of());
        LabRun lab = new LabRun(stack, applications, plan, out);
        List<LabReport.Mutant> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            out.accept("== mutant " + scenario.name() + ": expect " + String.join(" or ", scenario.detectors()));
            String runId = "mut-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> variants = new LinkedHashMap<>();
            scenario.mutated().forEach(application -> variants.put(application, scenario.mutant()));
            List<List<Faults.Planned>> steps = scenario.faults().isEmpty() ? List.of() : List.of(scenario.faults());
            LabReport report = lab.run(
                    runId,
                    List.of(scenario.writer()),
                    orders,
                    // A failpoint is armed a step after the workload starts and needs traffic after that to fire: at
                    // 20/s, 60 orders were over before a slow CI machine had armed it ("lost = 0").
                    plan.outlasting(steps, orders, 20),
                    steps,
                    variants,
                    Duration.ofSeconds(20),
                    "./lab.sh mutants --only " + scenario.name());
            Verdict verdict = report.writers().get(scenario.writer().name()).verdict();
            int count = scenario.detectors().stream().mapToInt(verdict::count).sum();
            // Caught: the detector counted it, and the fault meant to expose it did happen.
            boolean caught = count > 0 && report.run().allFaultsFired();
            results.add(
                    new LabReport.Mutant(scenario.name(), String.join(" or ", scenario.detectors()), count, caught));
            out.accept("   %s: %s = %d%s → %s"
                    .formatted(
                            scenario.name(),
                            String.join("+", scenario.detectors()),
                            count,
                            report.run().allFaultsFired() ? "" : " (a planned fault did not fire)",
                            caught ? "caught" : "NOT CAUGHT"));
        }
        return results;
    }
}
