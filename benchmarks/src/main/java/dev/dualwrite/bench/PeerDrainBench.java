package dev.dualwrite.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The peers' drain (docs/peers.md): the relay drain's backlog ({@link RelayDrainBench#BACKLOG}, 1, 3 and 10 events
 * per order) written straight into each library's own table, in the rows the library itself writes, and drained by
 * the peer's two running instances. The libraries publish from inside their services, so unlike our relay they cannot
 * be run alone in the benchmark's JVM: they are compared with two of our relays draining the same backlog shape.
 *
 * <p>Each drain is timed from the backlog's commit until the library has recorded every row as sent (namastack:
 * COMPLETED; Modulith: a completion date), or for at most {@code window}: a library slower than that is credited with
 * what it sent within the window, and the rows it had not sent yet are deleted. The pipeline (order-consumer, our
 * pollers, Connect) is paused meanwhile, as nothing consumes our relays' fixture topic either.
 */
final class PeerDrainBench {

    /** The customers of the seeded orders: how the rows are found again to delete them. */
    private static final String CUSTOMER_PREFIX = "bench-peer-";

    /**
     * One drain.
     *
     * @param sent             rows the library recorded as sent
     * @param seconds          from the backlog's commit to the last of them, or the window when it ran out
     * @param firstSentSeconds from the commit to the first sent row: how long the library took to notice the backlog
     */
    record Drain(int events, long sent, double seconds, double firstSentSeconds) {

        double eventsPerSecond() {
            return sent / seconds;
        }

        boolean complete() {
            return sent >= events;
        }
    }

    /** A peer's rows, as its library writes them, and how to count what it has not sent. */
    enum Peer {
        /**
         * namastack-outbox: NEW records, due now, in the partition of their key (any function of the key keeps a key's
         * records in one partition, which is what the library's per-key order needs), for the handler that the order
         * service's {@code Outbox.schedule} records.
         */
        PEER_NAMASTACK(
                """
                INSERT INTO outbox_record (id, status, record_key, record_type, payload, context, created_at,
                                           completed_at, failure_count, failure_reason, next_retry_at, partition_no,
                                           handler_id)
                SELECT id::text, 'NEW', order_id::text, 'dev.dualwrite.events.OrderEvent', payload, NULL,
                       now() - interval '1 second' + tick * interval '1 microsecond', NULL, 0, NULL,
                       now() - interval '1 second', (hashtext(order_id::text) & 2147483647) %% 256,
                       'dev.dualwrite.peers.namastack.KafkaPublishingHandler#handle(dev.dualwrite.events.OrderEvent,\
                io.namastack.outbox.handler.OutboxRecordMetadata)'
                  FROM (%s) backlog
                """,
                // NEW or FAILED (given up): not sent; by the status index, not a scan of every completed record
                "SELECT count(*) FROM outbox_record WHERE status IN ('NEW', 'FAILED')",
                "DELETE FROM outbox_record WHERE payload LIKE '%" + CUSTOMER_PREFIX + "%'"),
        /**
         * Spring Modulith: publications of the Kafka externalizer that failed once. Modulith has no poller: a backlog —
         * what a broker outage leaves behind — drains only when the application resubmits it (the order service's
         * Resubmission: each instance, every {@code peer.resubmission.interval}, at most
         * {@code peer.resubmission.batch-size} publications in flight).
         */
        PEER_MODULITH(
                """
                INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date,
                                               completion_date, status, completion_attempts, last_resubmission_date)
                SELECT id, 'org.springframework.modulith.events.support.DelegatingEventExternalizer.externalize(\
                java.lang.Object)', 'dev.dualwrite.events.OrderEvent', payload,
                       now() - interval '1 second' + tick * interval '1 microsecond', NULL, 'FAILED', 1, NULL
                  FROM (%s) backlog
                """,
                "SELECT count(*) FROM event_publication WHERE completion_date IS NULL",
                "DELETE FROM event_publication WHERE serialized_event LIKE '%" + CUSTOMER_PREFIX + "%'");

        private final String insert;
        private final String unsent;
        private final String delete;

        Peer(String insert, String unsent, String delete) {
            this.insert = insert;
            this.unsent = unsent;
            this.delete = delete;
        }
    }

    private final JdbcClient jdbc;
    private final Pipeline pipeline;
    private final int events;
    private final Duration window;

    PeerDrainBench(JdbcClient jdbc, Pipeline pipeline, int events, Duration window) {
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.events = events;
        this.window = window;
    }

    /** Peer name → events per order → its drain. */
    Map<String, Map<Integer, Drain>> run() throws Exception {
        Map<String, Map<Integer, Drain>> drains = new LinkedHashMap<>();
        pipeline.awaitIdle();
        pipeline.pause();
        try {
            for (Peer peer : Peer.values()) {
                Map<Integer, Drain> byEventsPerOrder = new LinkedHashMap<>();
                for (int perOrder : RelayDrainBench.EVENTS_PER_ORDER) {
                    byEventsPerOrder.put(perOrder, drain(peer, perOrder));
                }
                drains.put(peer.name(), byEventsPerOrder);
            }
        } finally {
            pipeline.resume();
        }
        // order-consumer reads the peers' topics: it catches up on what they sent before the next section, and its view
        // of the backlog's orders, which exist nowhere else, goes (their idempotency rows go with the retention job)
        pipeline.awaitIdle();
        jdbc.sql("""
                DELETE FROM consumed_orders c
                 WHERE c.pattern IN ('PEER_NAMASTACK', 'PEER_MODULITH')
                   AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id)
                """).update();
        return drains;
    }

    private Drain drain(Peer peer, int perOrder) throws InterruptedException {
        long before = unsent(peer);
        jdbc.sql(peer.insert.formatted(RelayDrainBench.BACKLOG))
                .params(RelayDrainBench.backlogParameters(events, perOrder, peer.name(), CUSTOMER_PREFIX))
                .update();
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        long sent = 0;
        double last = 0;
        double first = Double.NaN;
        while (sent < events && System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = unsent(peer);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long sentNow = Math.min(events, before + events - now);
            if (sentNow > sent) {
                sent = sentNow;
                last = elapsed;
                if (Double.isNaN(first)) {
                    first = elapsed;
                }
            }
        }
        if (sent == 0) {
            jdbc.sql(peer.delete).update();
            // the rows name the handler and listener by hand: a library that does not recognise them sends nothing
            throw new IllegalStateException(peer + " sent none of its backlog within " + window
                    + ": check the handler and listener ids in PeerDrainBench against a row the service wrote");
        }
        double seconds = sent >= events ? last : window.toNanos() / 1e9;
        Drain drain = new Drain(events, sent, seconds, first);
        jdbc.sql(peer.delete).update();
        System.out.printf(
                "  %-48s %8.0f events/s  (%d of %d in %.2f s; %s)%s%n",
                "%s, 2 instances, %d event(s)/order".formatted(peer.name(), perOrder),
                drain.eventsPerSecond(),
                sent,
                events,
                seconds,
                sent == 0 ? "none sent" : "first sent after %.2f s".formatted(first),
                drain.complete() ? "" : "; the window ran out, the rest deleted");
        return drain;
    }

    private long unsent(Peer peer) {
        return jdbc.sql(peer.unsent).query(Long.class).single();
    }
}
