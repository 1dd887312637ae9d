package dev.dualwrite.consuming;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The idempotency table. Call {@link #firstTime} first, inside the transaction of the effect: the primary key
 * (consumer, event_id) lets exactly one of two concurrent deliveries through, and a rollback of the effect rolls the
 * mark back too. (Checking first and inserting later would let two copies through.)
 */
public class ProcessedEvents {

    private static final String MARK = """
            INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """;

    private final JdbcClient jdbc;

    public ProcessedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the event as processed by this consumer; false if it already was (a duplicate delivery). */
    public boolean firstTime(String consumer, UUID eventId) {
        return jdbc.sql(MARK)
                        .param("consumer", consumer)
                        .param("eventId", eventId)
                        .update()
                == 1;
    }
}
