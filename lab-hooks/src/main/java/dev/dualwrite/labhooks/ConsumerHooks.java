package dev.dualwrite.labhooks;

import dev.dualwrite.consuming.ConsumerObserver;
import dev.dualwrite.consuming.ProcessedEvents;
import dev.dualwrite.events.OrderEvent;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The lab inside a consumer: the append-only effect log, the failpoint before the offset, the idempotency mutant. */
final class ConsumerHooks {

    private static final String LOG_EFFECT = """
            INSERT INTO lab_effect_log (consumer, event_id, order_id, version) VALUES (:consumer, :eventId, :orderId, :version)
            """;

    private ConsumerHooks() {}

    static ConsumerObserver observer(JdbcClient jdbc, Failpoints failpoints) {
        return new ConsumerObserver() {
            @Override
            public void applied(String consumer, OrderEvent event) {
                jdbc.sql(LOG_EFFECT)
                        .param("consumer", consumer)
                        .param("eventId", event.eventId())
                        .param("orderId", event.orderId())
                        .param("version", event.version())
                        .update();
            }

            @Override
            public void committed(String consumer, OrderEvent event) {
                failpoints.hit(Failpoints.CONSUMER_AFTER_EFFECT_BEFORE_OFFSET);
            }
        };
    }

    /** The idempotency table, or — under the consumer-skips-idempotency mutant — a table that lets everything through. */
    static final class MutableProcessedEvents extends ProcessedEvents {

        private final Mutants mutants;

        MutableProcessedEvents(JdbcClient jdbc, Mutants mutants) {
            super(jdbc);
            this.mutants = mutants;
        }

        @Override
        public boolean firstTime(String consumer, UUID eventId) {
            return mutants.active(Mutants.CONSUMER_SKIPS_IDEMPOTENCY) || super.firstTime(consumer, eventId);
        }

        @Override
        public List<UUID> firstTimes(String consumer, List<UUID> eventIds) {
            return mutants.active(Mutants.CONSUMER_SKIPS_IDEMPOTENCY) ? eventIds : super.firstTimes(consumer, eventIds);
        }
    }
}
