package dev.dualwrite.labhooks;

import dev.dualwrite.relay.BatchObserver;
import dev.dualwrite.relay.OutboxRepository;
import dev.dualwrite.relay.PendingEvent;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The lab inside a relay: its two failpoints, and the two relay mutants. */
final class RelayHooks {

    private RelayHooks() {}

    /** The failpoints at the relay's dangerous moments. */
    static BatchObserver observer(Failpoints failpoints) {
        return new BatchObserver() {
            @Override
            public void acknowledgedNotYetMarked(List<PendingEvent> acknowledged) {
                failpoints.hit(Failpoints.RELAY_AFTER_SEND_BEFORE_MARK);
            }

            @Override
            public void halfSent(List<PendingEvent> batch) {
                failpoints.hit(Failpoints.RELAY_MID_BATCH);
            }
        };
    }

    /** The relay's repository, with the two broken claims of the relay mutants. */
    static final class MutableOutboxRepository extends OutboxRepository {

        /**
         * The earliest unpublished row that no other relay holds, whatever its order: two relays may hold two events
         * of one order at once. One row per round, so that an order's events go out in different rounds; each row
         * says it is followed, so the relay claims again at once as it would with a full batch.
         */
        private static final String CLAIM_IGNORING_ORDER_IN_FLIGHT = """
                SELECT id, aggregateid, type, payload::text AS payload, created_at, last_failed_at,
                       tracingspancontext, true AS followed
                  FROM %s
                 WHERE published_at IS NULL AND parked_at IS NULL
                 ORDER BY position
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
                """;

        private final JdbcClient jdbc;
        private final String table;
        private final Mutants mutants;
        private final TransactionTemplate ownTransaction;

        MutableOutboxRepository(
                JdbcClient jdbc, String table, Mutants mutants, PlatformTransactionManager transactions) {
            super(jdbc, table);
            this.jdbc = jdbc;
            this.table = table;
            this.mutants = mutants;
            this.ownTransaction = new TransactionTemplate(transactions);
            this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        }

        @Override
        public List<PendingEvent> claim(int limit) {
            if (mutants.active(Mutants.RELAY_IGNORES_ORDER_IN_FLIGHT)) {
                List<PendingEvent> claimed = jdbc.sql(CLAIM_IGNORING_ORDER_IN_FLIGHT.formatted(table))
                        .query(OutboxRepository.PENDING_EVENT)
                        .list();
                // Holding the claimed rows a random while before sending, as a slow round would: the other relay
                // meanwhile claims and sends the same orders' later events.
                pause(claimed.isEmpty() ? 0 : ThreadLocalRandom.current().nextLong(100));
                return claimed;
            }
            if (mutants.active(Mutants.RELAY_MARKS_BEFORE_ACK)) {
                // Claimed and marked in a transaction of its own that commits before anything is sent.
                return ownTransaction.execute(status -> {
                    List<PendingEvent> claimed = super.claim(limit);
                    markPublished(claimed.stream().map(PendingEvent::id).toList());
                    return claimed;
                });
            }
            return super.claim(limit);
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
