package dev.dualwrite.relay;

import dev.dualwrite.events.Pattern;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One relay: which outbox table goes to which topic, and how it behaves.
 *
 * @param pattern          the pattern whose event table and topic it relays ({@link Pattern#eventTable()},
 *                         {@link Pattern#topic()}); or give both of these:
 * @param table            the outbox table (Debezium outbox columns plus position, published_at, attempts, ...)
 * @param topic            the Kafka topic its events go to, keyed by order id
 * @param batchSize        rows claimed per transaction
 * @param pollInterval     how often to look for work when no NOTIFY arrived (the fallback; NOTIFY wakes it at once)
 * @param maxAttempts      failures of one row (not of Kafka or the topic as a whole) before the row may be parked
 * @param parkAfter        and the least time between a row's first failure and its parking: a row is parked only
 *                         after {@code maxAttempts} failures spread over at least this long
 * @param retryInitial     a failed row's first pause before its next attempt, doubled per attempt up to
 *                         {@code retryMax}; also how long rows are held back that Kafka could not take through no
 *                         fault of theirs (their partition had no leader) while other rows went through
 * @param backoffInitial   first pause after Kafka or the topic failed as a whole, doubled up to {@code backoffMax}
 * @param sendTimeout      how long to wait for Kafka to acknowledge a batch; by default the producer's
 *                         delivery.timeout.ms and 5 s more: the producer fails every send it cannot deliver within that,
 *                         so a send still unanswered at this deadline means a producer that stopped working (the relay
 *                         replaces it)
 * @param retention        how long published rows are kept before they are deleted
 * @param cleanupInterval  how often published rows past retention are deleted
 * @param cleanupBatchSize rows deleted per statement, so deleting never holds long locks
 * @param roundsInFlight   rounds one relay runs at once while its claims come back full (a backlog): a second round
 *                         claims and sends the next batch while the first awaits Kafka's acknowledgements and marks, so
 *                         that Kafka's round trip no longer adds to the SQL's time. Exactly as safe as that many relays:
 *                         a row another round holds is skipped, and so is an order whose earlier event is in flight
 *                         there. A helper round starts only after a full claim of the relay's main round and stops
 *                         once its own rounds find no more work: while no claim comes back full, one round runs at a
 *                         time, as with 1
 */
@ConfigurationProperties("relay")
public record RelayProperties(
        Pattern pattern,
        String table,
        String topic,
        @DefaultValue("500") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("10m") Duration parkAfter,
        @DefaultValue("1s") Duration retryInitial,
        @DefaultValue("1m") Duration retryMax,
        @DefaultValue("100ms") Duration backoffInitial,
        @DefaultValue("10s") Duration backoffMax,
        Duration sendTimeout,
        @DefaultValue("24h") Duration retention,
        @DefaultValue("1m") Duration cleanupInterval,
        @DefaultValue("5000") int cleanupBatchSize,
        @DefaultValue("2") int roundsInFlight) {

    public RelayProperties {
        if (pattern != null) {
            if (!pattern.polled()) {
                throw new IllegalArgumentException("relay.pattern must be a polled pattern ("
                        + Arrays.stream(Pattern.values())
                                .filter(Pattern::polled)
                                .toList() + "), was: " + pattern);
            }
            table = table != null ? table : pattern.eventTable();
            topic = topic != null ? topic : pattern.topic();
        }
        if (table == null || !table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "relay.pattern (a polled one) or relay.table, a plain lower-case table name, is required; was: "
                            + table);
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("relay.pattern or relay.topic is required");
        }
        if (batchSize < 1 || maxAttempts < 1 || cleanupBatchSize < 1 || roundsInFlight < 1) {
            throw new IllegalArgumentException(
                    "relay.batch-size, max-attempts, cleanup-batch-size and rounds-in-flight must be positive");
        }
    }

    /** These settings with another poll interval. */
    public RelayProperties withPollInterval(Duration interval) {
        return with(interval, sendTimeout, roundsInFlight);
    }

    /** These settings with another send timeout. */
    public RelayProperties withSendTimeout(Duration timeout) {
        return with(pollInterval, timeout, roundsInFlight);
    }

    /** These settings with another number of rounds in flight. */
    public RelayProperties withRoundsInFlight(int rounds) {
        return with(pollInterval, sendTimeout, rounds);
    }

    private RelayProperties with(Duration pollInterval, Duration sendTimeout, int roundsInFlight) {
        return new RelayProperties(
                pattern,
                table,
                topic,
                batchSize,
                pollInterval,
                maxAttempts,
                parkAfter,
                retryInitial,
                retryMax,
                backoffInitial,
                backoffMax,
                sendTimeout,
                retention,
                cleanupInterval,
                cleanupBatchSize,
                roundsInFlight);
    }
}
