package dev.dualwrite.relay;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Whose fault a failed send is, which decides what the relay does about it (README, "The relay's failure classes").
 * Only a short list of refusals can be a row's, and even those only once the round's evidence confirms it (Kafka took
 * other records meanwhile): blaming a row wrongly ends in parking it, calling a failure systemic wrongly only delays.
 */
enum FailureClass {

    /**
     * Kafka (or the partition) cannot take records now and may later: every {@link RetriableException} — leader
     * elections, not enough replicas, unknown topic metadata, timeouts. The relay backs off; no row is blamed.
     */
    KAFKA_UNAVAILABLE,

    /**
     * Kafka refuses the relay itself, whatever the record — authentication, authorization (an ACL slip), an invalid
     * topic name, a protocol the broker does not speak, a fenced or broken producer — and anything not known to be a
     * record's fault. The relay backs off, reports DOWN with the reason, and parks nothing.
     */
    SYSTEMIC,

    /**
     * Refused for this record (too large, invalid, corrupt, not serializable): the row's own failure if other records
     * got through; if none did, the same refusal of every record is the topic's configuration, so {@link #SYSTEMIC}.
     */
    ROW;

    private static final List<Class<? extends Throwable>> ALWAYS_SYSTEMIC = List.of(
            AuthenticationException.class,
            AuthorizationException.class,
            InvalidTopicException.class,
            UnsupportedVersionException.class);

    private static final List<Class<? extends Throwable>> RECORDS_OWN = List.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidRecordException.class,
            CorruptRecordException.class,
            SerializationException.class);

    /** Judged on the whole cause chain: a wrapped SSL or authorization failure is still one. */
    static FailureClass of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        if (chain.stream().anyMatch(cause -> isAny(cause, ALWAYS_SYSTEMIC))) {
            return SYSTEMIC;
        }
        if (chain.stream().anyMatch(cause -> isAny(cause, RECORDS_OWN))) {
            return ROW;
        }
        if (chain.stream().anyMatch(RetriableException.class::isInstance)) {
            return KAFKA_UNAVAILABLE;
        }
        return SYSTEMIC;
    }

    private static boolean isAny(Throwable cause, List<Class<? extends Throwable>> types) {
        return types.stream().anyMatch(type -> type.isInstance(cause));
    }
}
