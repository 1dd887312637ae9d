package dev.dualwrite.lab;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.StackSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The lab's history and verdict for a workload another program drives — the console's: it records every request as
 * the lab's own clients do (in {@code run/lab/<run id>/history.jsonl}, so that {@code ./lab.sh verify --run <id>}
 * judges it again), and judges what was produced with the same verdict as {@code ./lab.sh run}, after the run's data
 * has settled. The applications must run under the lab profile: the verdict reads their effect log.
 */
public final class LabSession implements AutoCloseable {

    /** The verdict: the lab's table (one line per writer), its JSON, and whether the three patterns held. */
    public record Judgement(String runId, String table, String json, boolean patternsHold) {}

    private final StackSettings settings;
    private final String runId;
    private final Path directory;
    private final List<Writer> writers;
    private final String command;
    private final Instant started = Instant.now();
    private final History history;
    private boolean closed;

    private LabSession(StackSettings settings, List<Pattern> patterns, String command) {
        this.settings = settings;
        this.runId = "console-" + UUID.randomUUID().toString().substring(0, 8);
        this.directory = LabRun.runDirectory(settings, runId);
        this.writers = patterns.stream()
                .map(pattern -> Writer.of(pattern).orElseThrow())
                .toList();
        this.command = command;
        this.history = new History(directory);
    }

    /** A new run of the given writers (the naive write: commit, then publish). */
    public static LabSession open(StackSettings settings, List<Pattern> patterns, String command) {
        return new LabSession(settings, patterns, command);
    }

    public String runId() {
        return runId;
    }

    /** The customer id of the {@code n}th order of a pattern in this run: how the verdict finds the run's orders. */
    public String customerId(Pattern pattern, long n) {
        return writer(pattern).customerPrefix(runId) + n;
    }

    /**
     * One request as the client saw it.
     *
     * @param action   "create", "confirm" or "cancel"
     * @param orderId  the order (for a create, the id answered; null when none was)
     * @param status   the HTTP status, or 0 when no answer came (timeout, refused connection)
     * @param version  the order's version in a successful answer
     */
    public synchronized void record(
            Pattern pattern,
            String action,
            UUID orderId,
            String idempotencyKey,
            String customerId,
            Instant sent,
            Instant answered,
            int status,
            Integer version,
            String detail) {
        if (closed) {
            return; // an answer that came after the run was judged is no part of it
        }
        Operation.Outcome outcome = status >= 200 && status < 300
                ? Operation.Outcome.OK
                : status >= 400 && status < 500 ? Operation.Outcome.FAIL : Operation.Outcome.INFO;
        history.record(new Operation(
                writer(pattern).name(),
                Operation.Type.valueOf(action.toUpperCase()),
                orderId,
                idempotencyKey,
                customerId,
                micros(sent),
                micros(answered),
                outcome,
                outcome == Operation.Outcome.OK ? version : null,
                detail));
    }

    /**
     * Waits until the run's data has settled (nothing outstanding, or nothing moved for {@code stall}), then judges it.
     * Call it once the workload is stopped.
     */
    public Judgement judge(Duration stall, Consumer<String> out) throws Exception {
        close();
        new Settling(new RunReader(settings), out).await(runId, writers, stall);
        LabReport.Run run = new LabReport.Run(
                runId,
                command,
                started.toString(),
                Duration.between(started, Instant.now()).toSeconds(),
                0,
                0,
                writers.stream().map(Writer::name).toList(),
                List.of(),
                Map.of());
        run.save(directory);
        LabReport report = LabRun.judge(settings, run, History.read(directory));
        return new Judgement(runId, report.table(), report.json(), report.patternsHold());
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            history.close();
        }
    }

    private Writer writer(Pattern pattern) {
        return writers.stream()
                .filter(writer -> writer.pattern() == pattern)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(pattern + " is not a writer of run " + runId));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }
}
