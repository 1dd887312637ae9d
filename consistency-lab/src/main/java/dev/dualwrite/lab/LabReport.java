package dev.dualwrite.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A judged run, and how it is shown: the console table, {@code docs/consistency-report.md} and the JSON. Rendered from
 * records only; nothing here reads the system.
 */
record LabReport(Run run, Map<String, Judged> writers, List<Mutant> mutants) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String RUN_FILE = "run.json";

    /** What a run did, kept in {@code run.json} beside the history so that {@code ./lab.sh verify} can show it again. */
    record Run(
            String runId,
            String command,
            String startedAt,
            long seconds,
            int ordersPerWriter,
            double ratePerWriter,
            List<String> writers,
            List<Fault> faults,
            Map<String, Integer> restarts) {

        boolean allFaultsFired() {
            return faults.stream().allMatch(Fault::fired);
        }

        void save(Path directory) {
            try {
                Files.createDirectories(directory);
                Files.writeString(
                        directory.resolve(RUN_FILE),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Run load(Path directory) {
            try {
                return JSON.readValue(Files.readString(directory.resolve(RUN_FILE)), Run.class);
            } catch (IOException e) {
                throw new UncheckedIOException("no run recorded in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /** A fault as it happened: when it fired (empty if it did not), its evidence, each writer's operations in flight. */
    record Fault(String fault, String firedAt, boolean fired, String evidence, Map<String, Integer> inFlight) {}

    /** One writer's verdict and the rate its clients achieved (acknowledged creates per second). */
    record Judged(boolean reliable, String label, double achievedRate, Verdict verdict) {}

    /** One mutant's line: the detector that must fire, how often it did. */
    record Mutant(String name, String detector, int count, boolean caught) {}

    /** The columns of the verdict, in the order every rendering shows them. */
    static final List<String> COLUMNS = List.of(
            "lostAcknowledged",
            "lost",
            "phantom",
            "conflicting",
            "duplicatesOnTopic",
            "reorders",
            "duplicateEffects",
            "deadLettered",
            "mismatches",
            "unconfirmed",
            "parked",
            "duplicateOrders",
            "malformed");

    static Fault fault(Faults.Fired fired, List<Operation> history, List<Writer> writers) {
        Map<String, Integer> inFlight = new LinkedHashMap<>();
        for (Writer writer : writers) {
            inFlight.put(
                    writer.name(),
                    fired.fired()
                            ? (int) history.stream()
                                    .filter(op ->
                                            op.writer().equals(writer.name()) && op.inFlightAt(fired.firedAtMicros()))
                                    .count()
                            : 0);
        }
        String at = fired.fired()
                ? Instant.ofEpochSecond(0, fired.firedAtMicros() * 1000).toString()
                : "";
        return new Fault(fired.planned().describe(), at, fired.fired(), fired.evidence(), inFlight);
    }

    static double achievedRate(List<Operation> history) {
        List<Operation> creates = history.stream()
                .filter(op -> op.type() == Operation.Type.CREATE)
                .toList();
        long first = creates.stream().mapToLong(Operation::startMicros).min().orElse(0);
        List<Operation> acknowledged = creates.stream()
                .filter(op -> op.outcome() == Operation.Outcome.OK)
                .toList();
        long last = acknowledged.stream().mapToLong(Operation::endMicros).max().orElse(first);
        return last <= first ? 0 : acknowledged.size() / ((last - first) / 1e6);
    }

    /** The three patterns show no violation (the naive writes are judged, not required to hold). */
    boolean patternsHold() {
        return writers.values().stream()
                .filter(Judged::reliable)
                .allMatch(judged -> judged.verdict().clean());
    }

    /** Why a run has more orders than its command asked for, if it has: the clocks went on for the faults. */
    private static String extended(Run run) {
        Matcher asked = Pattern.compile("--orders (\\d+)").matcher(run.command());
        return asked.find() && Integer.parseInt(asked.group(1)) < run.ordersPerWriter()
                ? " (%s planned; the clocks went on while planned faults were still to come)".formatted(asked.group(1))
                : "";
    }

    /** What a verdict shows, as a peer's line says it: each column other than duplicates that is not zero. */
    static String findings(Verdict verdict) {
        List<String> found = COLUMNS.stream()
                .filter(column -> !column.equals("duplicatesOnTopic") && verdict.count(column) > 0)
                .map(column -> verdict.count(column) + " " + column)
                .toList();
        return found.isEmpty() ? "no violation" : String.join(", ", found);
    }

    boolean passed() {
        return patternsHold() && run.allFaultsFired();
    }

    String table() {
        StringBuilder table = new StringBuilder("%-26s %9s %6s %6s".formatted("writer", "committed", "ok", "rate/s"));
        COLUMNS.forEach(column -> table.append(' ').append(header(column)));
        table.append('\n');
        writers.forEach((name, judged) -> {
            Verdict verdict = judged.verdict();
            table.append("%-26s %9d %6d %6.1f"
                    .formatted(name, verdict.committed(), verdict.acknowledged(), judged.achievedRate()));
            COLUMNS.forEach(column -> table.append(' ')
                    .append(String.format("%" + header(column).length() + "d", verdict.count(column))));
            table.append('\n');
        });
        return table.toString();
    }

    private static String header(String column) {
        return switch (column) {
            case "lostAcknowledged" -> "lost-ack";
            case "duplicatesOnTopic" -> "dup-on-topic";
            case "duplicateEffects" -> "dup-effects";
            case "duplicateOrders" -> "dup-orders";
            case "deadLettered" -> "DLT";
            default -> column;
        };
    }

    String faultTimeline() {
        StringBuilder lines = new StringBuilder();
        for (Fault fault : run.faults()) {
            lines.append("  %s %-70s %s%n"
                    .formatted(fault.fired() ? fault.firedAt() : "NOT FIRED", fault.fault(), fault.evidence()));
        }
        return lines.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Consistency report\n\n");
        md.append("Produced by `")
                .append(run.command())
                .append("` (run `")
                .append(run.runId())
                .append("`, started ")
                .append(run.startedAt())
                .append(", ")
                .append(run.seconds())
                .append(" s). Judge it again with `./lab.sh verify --run ")
                .append(run.runId())
                .append("`.\n\n");
        md.append(
                "%d orders per writer%s, all writers at the same time, each on its own open-loop clock at %.1f orders/s."
                        .formatted(run.ordersPerWriter(), extended(run), run.ratePerWriter()));
        md.append(" Restarts by the lab's supervisor: ")
                .append(run.restarts().isEmpty() ? "none" : run.restarts())
                .append(".\n\n");
        md.append("| writer | committed | acknowledged ops | indeterminate ops | achieved orders/s |");
        COLUMNS.forEach(column -> md.append(' ').append(column).append(" |"));
        md.append("\n|---|---:|---:|---:|---:|");
        COLUMNS.forEach(column -> md.append("---:|"));
        md.append('\n');
        writers.forEach((name, judged) -> {
            Verdict verdict = judged.verdict();
            md.append("| %s (%s) | %d | %d | %d | %.1f |"
                    .formatted(
                            name,
                            judged.label(),
                            verdict.committed(),
                            verdict.acknowledged(),
                            verdict.indeterminate(),
                            judged.achievedRate()));
            COLUMNS.forEach(
                    column -> md.append(' ').append(verdict.count(column)).append(" |"));
            md.append('\n');
        });
        md.append('\n')
                .append(
                        patternsHold()
                                ? "**The three patterns show no violation.**"
                                : "**A pattern shows a violation.**");
        md.append(run.allFaultsFired() ? " Every planned fault fired.\n\n" : " **A planned fault did not fire.**\n\n");
        writers.forEach((name, judged) -> {
            if (name.startsWith("PEER_")) {
                md.append("**%s**: %s.\n\n".formatted(judged.label(), findings(judged.verdict())));
            }
        });
        md.append("""
                *lostAcknowledged*: an operation the service answered with success whose effect is not in the database;
                *lost*: a committed (order, version) with no event on the topic; *phantom*: an event of an order never
                committed, of a version above the committed one, or whose type or status differs from what was committed
                at that version; *conflicting*: more than one event id for one (order, version); *duplicatesOnTopic*:
                extra copies of one event id (allowed: consumers deduplicate); *reorders*: an event whose first copy
                follows the first copy of a higher version of its order (a redelivered stretch is duplicates, not
                reorders); *duplicateEffects*: extra applications of one event by one consumer, from the append-only
                effect log (independent of the idempotency table and of order-consumer's version gate);
                *deadLettered*: records of the run's orders on `<topic>.DLT`; *mismatches*: orders whose downstream
                view (order-consumer) differs from the database; *unconfirmed*: listen-to-yourself orders still
                PENDING; *parked*: relay rows given up on; *duplicateOrders*: more than one order committed for one
                customer (one create each); *malformed*: records of the run without an event id or order id, or not
                keyed by their order id.

                """);
        md.append("## Faults\n\n| fired at | fault | evidence |");
        List<String> names = new ArrayList<>(writers.keySet());
        names.forEach(name -> md.append(" in flight: ").append(name).append(" |"));
        md.append("\n|---|---|---|");
        names.forEach(name -> md.append("---:|"));
        md.append('\n');
        for (Fault fault : run.faults()) {
            md.append("| %s | %s | %s |"
                    .formatted(fault.fired() ? fault.firedAt() : "**did not fire**", fault.fault(), fault.evidence()));
            names.forEach(name -> md.append(' ')
                    .append(fault.inFlight().getOrDefault(name, 0))
                    .append(" |"));
            md.append('\n');
        }
        md.append('\n');
        if (!mutants.isEmpty()) {
            md.append(
                            "## Mutants\n\nFrom the last `./lab.sh mutants` (`docs/mutants.json`): deliberately broken variants, "
                                    + "each run under a small workload with the fault that exposes it; the detector must fire.\n\n")
                    .append(mutantsMarkdown(mutants))
                    .append('\n');
        }
        md.append("## Findings\n\n");
        writers.forEach((name, judged) -> {
            judged.verdict()
                    .deadLetterReasons()
                    .forEach((reason, count) ->
                            md.append("- %s: %d dead-lettered: %s\n".formatted(name, count, reason)));
            judged.verdict().examples().stream()
                    .limit(6)
                    .forEach(example -> md.append("- ")
                            .append(name)
                            .append(": ")
                            .append(example)
                            .append('\n'));
        });
        return md.toString();
    }

    static String mutantsMarkdown(List<Mutant> mutants) {
        StringBuilder md =
                new StringBuilder("| mutant | expected detector | its count | caught |\n|---|---|---:|---|\n");
        mutants.forEach(mutant -> md.append("| %s | %s | %d | %s |%n"
                .formatted(mutant.name(), mutant.detector(), mutant.count(), mutant.caught() ? "yes" : "**no**")));
        md.append("\nmutants caught %d/%d\n"
                .formatted(mutants.stream().filter(Mutant::caught).count(), mutants.size()));
        return md.toString();
    }

    String json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.runId());
        Map<String, Object> patterns = new LinkedHashMap<>();
        writers.forEach((name, judged) -> {
            Verdict verdict = judged.verdict();
            Map<String, Object> numbers = new LinkedHashMap<>();
            numbers.put("committed", verdict.committed());
            numbers.put("acknowledged", verdict.acknowledged());
            numbers.put("indeterminate", verdict.indeterminate());
            numbers.put("achievedRate", Math.round(judged.achievedRate() * 10) / 10.0);
            COLUMNS.forEach(column -> numbers.put(column, verdict.count(column)));
            numbers.put("deadLetterReasons", verdict.deadLetterReasons());
            numbers.put("holds", verdict.clean());
            patterns.put(name, numbers);
        });
        body.put("patterns", patterns);
        body.put("patternsHold", patternsHold());
        body.put("allFaultsFired", run.allFaultsFired());
        body.put("faults", run.faults());
        body.put("ordersPerPattern", run.ordersPerWriter());
        body.put("ratePerPattern", run.ratePerWriter());
        body.put("restarts", run.restarts());
        body.put("seconds", run.seconds());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    }

    static List<Mutant> loadMutants(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(
                    JSON.readTree(Files.readString(file)).get("mutants").toString(), Mutant[].class));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
