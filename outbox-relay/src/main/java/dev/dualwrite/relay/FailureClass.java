package dev.dualwrite.relay;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Whose fault a failed send is, which decides what the relay does about it (README, "The relay's failure classes").
 * The type of the exception decides the first two; the third is only a suspicion until the round's evidence confirms
 * it: a failure counts against a row only when Kafka took other records of the topic meanwhile.
 */
enum FailureClass {

    /**
     * Kafka (or the partition) cannot take records now and may later: every {@link RetriableException} — leader
     * elections, not enough replicas, unknown topic metadata, timeouts. The relay backs off; no row is blamed.
     */
    KAFKA_UNAVAILABLE,

    /**
     * Kafka refuses the relay itself, whatever the record: authentication, authorization (an ACL slip), an invalid
     * topic name, a protocol the broker does not speak. The relay backs off, reports DOWN with the reason, and parks
     * nothing.
     */
    SYSTEMIC,

    /**
     * Anything else refused for this record (too large, invalid, corrupt): the row's own failure if other records got
     * through; if none did, the same refusal of every record is the topic's configuration, so {@link #SYSTEMIC}.
     */
    ROW;

    static FailureClass of(Throwable cause) {
        if (cause instanceof RetriableException) {
            return KAFKA_UNAVAILABLE;
        }
        if (cause instanceof AuthorizationException
                || cause instanceof AuthenticationException
                || cause instanceof InvalidTopicException
                || cause instanceof UnsupportedVersionException) {
            return SYSTEMIC;
        }
        return ROW;
    }
}
