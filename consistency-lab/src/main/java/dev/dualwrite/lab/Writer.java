package dev.dualwrite.lab;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.util.List;
import java.util.Optional;

/**
 * One writer the lab drives and judges: a pattern's order service, or the naive dual write in one order of its two
 * writes, as the suite's manifest ({@link Suite}) deploys it. The workload, the settling, the verdict and the report
 * read it.
 *
 * @param name       the writer's name in reports and in the run's customer ids
 * @param deployment the pattern (its topic is the writer's topic), its service and its relays
 */
record Writer(String name, Suite.Deployment deployment) {

    static final Writer OUTBOX = new Writer("TRANSACTIONAL_OUTBOX", Suite.OUTBOX);
    static final Writer LISTEN_TO_YOURSELF = new Writer("LISTEN_TO_YOURSELF", Suite.LISTEN_TO_YOURSELF);
    static final Writer LOG_TAILING = new Writer("TRANSACTIONAL_LOG_TAILING", Suite.LOG_TAILING);
    static final Writer NAIVE = new Writer("NAIVE_DUAL_WRITE", Suite.NAIVE);
    static final Writer NAIVE_PUBLISH_FIRST = new Writer("NAIVE_PUBLISH_THEN_COMMIT", Suite.NAIVE_PUBLISH_FIRST);

    static final List<Writer> ALL = List.of(OUTBOX, LISTEN_TO_YOURSELF, LOG_TAILING, NAIVE, NAIVE_PUBLISH_FIRST);

    static Writer named(String name) {
        return ALL.stream()
                .filter(writer -> writer.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no writer " + name + "; known: "
                        + ALL.stream().map(Writer::name).toList()));
    }

    static Optional<Writer> of(Pattern pattern) {
        return ALL.stream().filter(writer -> writer.pattern() == pattern).findFirst();
    }

    /** The three patterns must show no violation; the naive writes are there to show theirs. */
    boolean reliable() {
        return pattern() != Pattern.NAIVE_DUAL_WRITE;
    }

    /** Listen to yourself confirms its orders itself: clients only create and cancel. */
    boolean selfConfirming() {
        return pattern() == Pattern.LISTEN_TO_YOURSELF;
    }

    /** Every order of this writer in this run has a customer id that starts so. */
    String customerPrefix(String runId) {
        return runId + "-" + name.toLowerCase() + "-";
    }

    Pattern pattern() {
        return deployment.pattern();
    }

    /** The service the clients call. */
    Application application() {
        return deployment.service();
    }

    /** The table a relay drains, or null (log tailing deletes its rows; the naive write has none). */
    String eventTable() {
        return deployment.pattern().polled() ? deployment.eventTable() : null;
    }

    /** How a report names it. */
    String label() {
        return deployment.label();
    }
}
