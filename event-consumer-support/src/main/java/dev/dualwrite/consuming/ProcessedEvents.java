package dev.dualwrite.consuming;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The idempotency table. Call {@link #firstTime} (or {@link #firstTimes} for a poll's events) first, inside the
 * transaction of the effect: the primary key
 * (consumer, event_id) lets exactly one of two concurrent deliveries through, and a rollback of the effect rolls the
 * mark back too. (Checking first and inserting later would let two copies through.)
 */
public class ProcessedEvents {

    private static final String MARK = """
            INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId)
            ON CONFLICT (consumer, event_id) DO NOTHING
            """;

    /* One statement for a poll's events; an id twice in the list is inserted (and returned) once. */
    private static final String MARK_ALL = """
            INSERT INTO processed_events (consumer, event_id)
            SELECT :consumer, event_id FROM unnest(:eventIds) AS event_id
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING event_id
            """;

    /* Oldest first, a bounded batch per statement, skipping rows a consumer holds right now. */
    private static final String DELETE_PROCESSED_BEFORE = """
            DELETE FROM processed_events WHERE (consumer, event_id) IN (
                SELECT consumer, event_id FROM processed_events WHERE processed_at < :cutoff
                 ORDER BY processed_at LIMIT :limit FOR UPDATE SKIP LOCKED)
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

    /**
     * Records the events as processed by this consumer, in one statement; returns those that were not yet, each once
     * (the rest, and a second copy in the same list, are duplicates).
     */
    public List<UUID> firstTimes(String consumer, List<UUID> eventIds) {
        return jdbc.sql(MARK_ALL)
                .param("consumer", consumer)
                .param("eventIds", new SqlArrayValue("uuid", eventIds.toArray()))
                .query(UUID.class)
                .list();
    }

    /** Deletes up to {@code limit} records older than the cutoff; returns how many. */
    public int deleteProcessedBefore(Instant cutoff, int limit) {
        return jdbc.sql(DELETE_PROCESSED_BEFORE)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }
}
