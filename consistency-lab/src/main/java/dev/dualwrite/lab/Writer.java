package dev.dualwrite.lab;

import java.util.List;
import java.util.Optional;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;

/**
 * One writer the lab drives and judges: a pattern's order service, or the naive dual write in one order of its two
 * writes. Written once here; the workload, the settling, the verdict and the report read it.
 *
 * @param name        the writer's name in reports and in the run's customer ids
 * @param pattern     the pattern (its topic is the writer's topic)
 * @param application the service the clients call
 * @param eventTable  the table a relay drains, or null (log tailing deletes its rows; the naive write has none)
 * @param label       how a report names it
 */
record Writer(String name, Pattern pattern, Application application, String eventTable, String label) {

    static final Writer OUTBOX = new Writer("TRANSACTIONAL_OUTBOX", Pattern.TRANSACTIONAL_OUTBOX,
            find("order-service-outbox"), "outbox_events", "transactional outbox");
    static final Writer LISTEN_TO_YOURSELF = new Writer("LISTEN_TO_YOURSELF", Pattern.LISTEN_TO_YOURSELF,
            find("order-service-listen-to-yourself"), "lty_events", "listen to yourself");
    static final Writer LOG_TAILING = new Writer("TRANSACTIONAL_LOG_TAILING", Pattern.TRANSACTIONAL_LOG_TAILING,
            find("order-service-log-tailing"), null, "transaction log tailing");
    static final Writer NAIVE = new Writer("NAIVE_DUAL_WRITE", Pattern.NAIVE_DUAL_WRITE, Application.NAIVE, null,
            "naive: commit, then publish");
    static final Writer NAIVE_PUBLISH_FIRST = new Writer("NAIVE_PUBLISH_THEN_COMMIT", Pattern.NAIVE_DUAL_WRITE,
            Application.NAIVE_PUBLISH_FIRST, null, "naive: publish, then commit");

    static final List<Writer> ALL = List.of(OUTBOX, LISTEN_TO_YOURSELF, LOG_TAILING, NAIVE, NAIVE_PUBLISH_FIRST);

    static Writer named(String name) {
        return ALL.stream().filter(writer -> writer.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no writer " + name + "; known: "
                        + ALL.stream().map(Writer::name).toList()));
    }

    static Optional<Writer> of(Pattern pattern) {
        return ALL.stream().filter(writer -> writer.pattern == pattern).findFirst();
    }

    /** The three patterns must show no violation; the naive writes are there to show theirs. */
    boolean reliable() {
        return pattern != Pattern.NAIVE_DUAL_WRITE;
    }

    /** Listen to yourself confirms its orders itself: clients only create and cancel. */
    boolean selfConfirming() {
        return pattern == Pattern.LISTEN_TO_YOURSELF;
    }

    /** Every order of this writer in this run has a customer id that starts so. */
    String customerPrefix(String runId) {
        return runId + "-" + name.toLowerCase() + "-";
    }

    private static Application find(String name) {
        return Application.ALL.stream().filter(application -> application.name().equals(name)).findFirst().orElseThrow();
    }
}
