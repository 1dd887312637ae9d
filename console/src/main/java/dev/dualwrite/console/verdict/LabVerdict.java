package dev.dualwrite.console.verdict;

import dev.dualwrite.console.workload.WorkloadHistory;
import dev.dualwrite.events.Pattern;
import dev.dualwrite.lab.LabSession;
import dev.dualwrite.stack.NativeStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Under the lab profile every workload the console starts is a lab run: its requests are the lab's client history,
 * and the lab's verdict judges what it produced — the same detectors, the same table as {@code ./lab.sh run}.
 */
@Component
@Profile("lab")
class LabVerdict implements WorkloadHistory.Factory {

    private static final Logger log = LoggerFactory.getLogger(LabVerdict.class);

    /** How long the verdict waits for the run's data to stop moving before it judges what is there. */
    private static final Duration STALL = Duration.ofSeconds(30);

    private final NativeStack stack;
    private volatile LabSession session;

    LabVerdict(NativeStack stack) {
        this.stack = stack;
    }

    @Override
    public synchronized WorkloadHistory begin(List<Pattern> patterns) {
        if (session != null) {
            session.close();
        }
        LabSession run = LabSession.open(stack.settings(), patterns, "console workload through " + patterns);
        session = run;
        log.info("workload recorded as lab run {}", run.runId());
        return new WorkloadHistory() {
            @Override
            public String customerId(Pattern pattern, long n) {
                return run.customerId(pattern, n);
            }

            @Override
            public void record(
                    Pattern pattern,
                    String action,
                    UUID orderId,
                    String customerId,
                    Instant sent,
                    Instant answered,
                    int status,
                    Integer version,
                    String detail) {
                run.record(pattern, action, orderId, null, customerId, sent, answered, status, version, detail);
            }
        };
    }

    /** The verdict of the last workload (stopped first by the caller); empty when none ran yet. */
    synchronized Optional<LabSession.Judgement> judge() throws Exception {
        if (session == null) {
            return Optional.empty();
        }
        LabSession.Judgement judgement = session.judge(STALL, line -> log.info("verdict: {}", line.strip()));
        log.info(
                "verdict of {}: patterns {}\n{}",
                judgement.runId(),
                judgement.patternsHold() ? "hold" : "VIOLATED",
                judgement.table());
        return Optional.of(judgement);
    }
}
