package dev.dualwrite.relay;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relay's SQL over one outbox table. The table name is validated by {@link RelayProperties} before it is put
 * into the statements.
 */
public class OutboxRepository {

    /*
     * Claims unpublished rows in commit-ish order, skipping rows another relay holds. A row qualifies only when it is
     * the earliest unpublished row of its order (earlier ones claimed elsewhere, failing, or parked hold it back): so
     * at most one event per order is in flight, and an order's events reach Kafka in version order whatever the number
     * of relays.
     *
     * Written as a correlated min(), not NOT EXISTS: PostgreSQL turns NOT EXISTS into an anti-join, and with statistics
     * taken while the table had few pending rows it picked one that scans every pending row for every candidate — a
     * claim took minutes once 14,000 rows were pending under load (./bench.sh keep-up). A scalar subquery stays a
     * per-row index lookup on (aggregateid, position) whatever the statistics say.
     *
     * "followed" says whether a later event of the order waits behind the row (one more lookup on the same index): the
     * relay then claims again at once after publishing it, and otherwise waits for the next NOTIFY, sparing the empty
     * round that would only find nothing.
     */
    static final String CLAIM = """
            SELECT e.id, e.aggregateid, e.type, e.payload::text AS payload, e.created_at, e.last_failed_at,
                   e.tracingspancontext,
                   EXISTS (SELECT 1 FROM %1$s later
                            WHERE later.aggregateid = e.aggregateid
                              AND later.published_at IS NULL
                              AND later.position > e.position) AS followed
              FROM %1$s e
             WHERE e.published_at IS NULL
               AND e.parked_at IS NULL
               AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= now())
               AND e.position = (SELECT min(earlier.position) FROM %1$s earlier
                                  WHERE earlier.aggregateid = e.aggregateid
                                    AND earlier.published_at IS NULL)
             ORDER BY e.position
             LIMIT :limit
               FOR UPDATE OF e SKIP LOCKED
            """;

    /*
     * clock_timestamp(), not now(): the time of the mark, after Kafka's acknowledgement, not the round's start (which
     * may be send-timeout earlier). One array parameter, not IN (:ids): one statement text whatever the batch size (an IN list is a statement per
     * size, 1,000 bind parameters at full batches). The mark is still ~40% of a round in ./bench.sh's profile: that
     * is updating 1,000 rows and their indexes, not the parameters.
     */
    private static final String MARK_PUBLISHED = """
            UPDATE %s SET published_at = clock_timestamp() WHERE id = ANY (CAST(:ids AS uuid[]))
            """;

    /*
     * The row's own failure: one attempt more, its next one after an exponential pause (initial × 2^attempts, capped;
     * the exponent bounded so that the power never overflows), parked once it has failed max-attempts times over at
     * least park-after. The SET expressions read the row as it was before this update; clock_timestamp() is the time
     * of the failure, not of the round's start.
     */
    private static final String RECORD_FAILURE = """
            UPDATE %s
               SET attempts = attempts + 1,
                   last_error = :error,
                   first_failed_at = coalesce(first_failed_at, clock_timestamp()),
                   last_failed_at = clock_timestamp(),
                   next_attempt_at = clock_timestamp()
                                     + least(:initialMillis * 2 ^ least(attempts, 40), :maxMillis) * interval '1 millisecond',
                   parked_at = CASE WHEN attempts + 1 >= :maxAttempts
                                     AND clock_timestamp() - coalesce(first_failed_at, clock_timestamp())
                                         >= :parkAfterMillis * interval '1 millisecond'
                                    THEN clock_timestamp() END
             WHERE id = :id
            RETURNING parked_at IS NOT NULL
            """;

    /* Not the rows' fault (their partition had no leader, or timed out while others were acknowledged): no attempt. */
    private static final String DEFER = """
            UPDATE %s SET next_attempt_at = clock_timestamp() + :millis * interval '1 millisecond'
             WHERE id = ANY (CAST(:ids AS uuid[]))
            """;

    /* Evidence that Kafka takes records of this topic: when any relay last marked a row published (index-only). */
    private static final String LAST_PUBLISHED = """
            SELECT max(published_at) FROM %s
            """;

    /* How long until the earliest held-back or retrying row is due (rows of any relay); null when none waits. */
    private static final String UNTIL_NEXT_RETRY = """
            SELECT extract(epoch FROM min(next_attempt_at) - clock_timestamp()) * 1000
              FROM %s WHERE published_at IS NULL AND parked_at IS NULL AND next_attempt_at IS NOT NULL
            """;

    private static final String BACKLOG = """
            SELECT count(*) FROM %s WHERE published_at IS NULL AND parked_at IS NULL
            """;

    private static final String OLDEST_PENDING_AGE_SECONDS = """
            SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
              FROM %s WHERE published_at IS NULL AND parked_at IS NULL
            """;

    private static final String PARKED_COUNT = """
            SELECT count(*) FROM %s WHERE parked_at IS NOT NULL AND published_at IS NULL
            """;

    private static final String PARKED = """
            SELECT id, aggregateid, type, attempts, last_error, created_at, parked_at
              FROM %s WHERE parked_at IS NOT NULL AND published_at IS NULL
             ORDER BY position LIMIT :limit
            """;

    private static final String REDRIVE = """
            UPDATE %s SET parked_at = NULL, attempts = 0, first_failed_at = NULL, last_failed_at = NULL,
                          next_attempt_at = NULL
             WHERE id = :id AND parked_at IS NOT NULL
            """;

    private static final String REDRIVE_ALL = """
            UPDATE %s SET parked_at = NULL, attempts = 0, first_failed_at = NULL, last_failed_at = NULL,
                          next_attempt_at = NULL
             WHERE parked_at IS NOT NULL
            """;

    private static final String DELETE_PUBLISHED_BEFORE = """
            DELETE FROM %1$s WHERE id IN (
                SELECT id FROM %1$s WHERE published_at < :cutoff
                 ORDER BY published_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            """;

    private final JdbcClient jdbc;
    private final String table;

    public OutboxRepository(JdbcClient jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** Maps a row of {@link #CLAIM} (or of a query with its columns). */
    public static final RowMapper<PendingEvent> PENDING_EVENT = (rs, row) -> {
        Timestamp lastFailedAt = rs.getTimestamp("last_failed_at");
        return new PendingEvent(
                rs.getObject("id", UUID.class),
                rs.getString("aggregateid"),
                rs.getString("type"),
                rs.getString("payload"),
                rs.getTimestamp("created_at").toInstant(),
                lastFailedAt == null ? null : lastFailedAt.toInstant(),
                rs.getBoolean("followed"),
                rs.getString("tracingspancontext"));
    };

    public List<PendingEvent> claim(int limit) {
        return jdbc.sql(CLAIM.formatted(table))
                .param("limit", limit)
                .query(PENDING_EVENT)
                .list();
    }

    public void markPublished(Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql(MARK_PUBLISHED.formatted(table)).param("ids", array(ids)).update();
        }
    }

    /** Counts one failure of the row itself and schedules its retry; returns true when that parks it. */
    public boolean recordFailure(UUID id, String error, RelayProperties properties) {
        return jdbc.sql(RECORD_FAILURE.formatted(table))
                .param("error", error)
                .param("initialMillis", properties.retryInitial().toMillis())
                .param("maxMillis", properties.retryMax().toMillis())
                .param("maxAttempts", properties.maxAttempts())
                .param("parkAfterMillis", properties.parkAfter().toMillis())
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** Holds rows back for a while without counting an attempt against them. */
    public void defer(Collection<UUID> ids, Duration pause) {
        if (!ids.isEmpty()) {
            jdbc.sql(DEFER.formatted(table))
                    .param("millis", pause.toMillis())
                    .param("ids", array(ids))
                    .update();
        }
    }

    /** How long until the earliest row waiting for its retry is due (zero if overdue); empty when none waits. */
    public Optional<Duration> untilNextRetry() {
        // optional(), not single(): min() over no row is one NULL, which single() (and singleValue()) refuse.
        return jdbc.sql(UNTIL_NEXT_RETRY.formatted(table))
                .query(Double.class)
                .optional()
                .map(millis -> Duration.ofMillis(Math.max(0, millis.longValue())));
    }

    /** When a row of this table was last marked published, by any relay; null if none is kept. */
    public Instant lastPublished() {
        return jdbc.sql(LAST_PUBLISHED.formatted(table))
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(null);
    }

    private static String array(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }

    public long backlog() {
        return jdbc.sql(BACKLOG.formatted(table)).query(Long.class).single();
    }

    public double oldestPendingAgeSeconds() {
        return jdbc.sql(OLDEST_PENDING_AGE_SECONDS.formatted(table))
                .query(Double.class)
                .single();
    }

    public long parkedCount() {
        return jdbc.sql(PARKED_COUNT.formatted(table)).query(Long.class).single();
    }

    public List<ParkedEvent> parked(int limit) {
        return jdbc.sql(PARKED.formatted(table))
                .param("limit", limit)
                .query((rs, row) -> new ParkedEvent(
                        rs.getObject("id", UUID.class),
                        rs.getString("aggregateid"),
                        rs.getString("type"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("parked_at").toInstant()))
                .list();
    }

    public boolean redrive(UUID id) {
        return jdbc.sql(REDRIVE.formatted(table)).param("id", id).update() == 1;
    }

    public int redriveAll() {
        return jdbc.sql(REDRIVE_ALL.formatted(table)).update();
    }

    public int deletePublishedBefore(Instant cutoff, int limit) {
        return jdbc.sql(DELETE_PUBLISHED_BEFORE.formatted(table))
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }
}
