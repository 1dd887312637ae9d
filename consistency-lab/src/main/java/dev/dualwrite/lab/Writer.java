package dev.dualwrite.lab;

import dev.dualwrite.events.Pattern;
import dev.dualwrite.stack.Application;
import dev.dualwrite.stack.Suite;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

    /** The peers (docs/peers.md), judged beside the patterns under {@code ./lab.sh run --peers}. */
    static final Writer PEER_NAMASTACK = new Writer("PEER_NAMASTACK", Suite.PEER_NAMASTACK);

    static final Writer PEER_MODULITH = new Writer("PEER_MODULITH", Suite.PEER_MODULITH);

    static final List<Writer> PEERS = List.of(PEER_NAMASTACK, PEER_MODULITH);

    /** Every writer a run may have. */
    static final List<Writer> KNOWN =
            Stream.concat(ALL.stream(), PEERS.stream()).toList();

    /**
     * A peer's events the library has not sent yet, as {@link RunReader#UNPUBLISHED}: waiting, and given up on —
     * namastack's FAILED records are final (nothing in the library sends them again).
     */
    private static final String NAMASTACK_UNPUBLISHED = """
            SELECT count(*) FILTER (WHERE r.status <> 'FAILED'), count(*) FILTER (WHERE r.status = 'FAILED')
              FROM outbox_record r JOIN orders o ON r.record_key = o.id::text
             WHERE starts_with(o.customer_id, ?) AND r.status <> 'COMPLETED'
            """;

    /** Modulith's incomplete publications; a FAILED one is resubmitted by the service, so it is still waiting. */
    private static final String MODULITH_UNPUBLISHED = """
            SELECT count(*), 0
              FROM event_publication e JOIN orders o ON o.id::text = e.serialized_event::jsonb ->> 'orderId'
             WHERE starts_with(o.customer_id, ?) AND e.completion_date IS NULL
            """;

    static Writer named(String name) {
        return KNOWN.stream()
                .filter(writer -> writer.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no writer " + name + "; known: "
                        + KNOWN.stream().map(Writer::name).toList()));
    }

    static Optional<Writer> of(Pattern pattern) {
        return KNOWN.stream().filter(writer -> writer.pattern() == pattern).findFirst();
    }

    /** The three patterns must show no violation; the naive writes are there to show theirs, the peers whatever. */
    boolean reliable() {
        return pattern() != Pattern.NAIVE_DUAL_WRITE && !pattern().peer();
    }

    /** Whether the settling waits for it: the three patterns and the peers (the naive writes never catch up). */
    boolean settles() {
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

    /**
     * The query of this writer's events not yet sent (waiting, given up on), for the run's customer prefix; null when
     * nothing holds them (log tailing's rows are deleted at once, the naive write has none).
     */
    String unpublishedQuery() {
        return switch (pattern()) {
            case TRANSACTIONAL_OUTBOX, LISTEN_TO_YOURSELF -> RunReader.UNPUBLISHED.formatted(eventTable());
            case PEER_NAMASTACK -> NAMASTACK_UNPUBLISHED;
            case PEER_MODULITH -> MODULITH_UNPUBLISHED;
            case TRANSACTIONAL_LOG_TAILING, NAIVE_DUAL_WRITE -> null;
        };
    }

    /** How a report names it. */
    String label() {
        return deployment.label();
    }
}
