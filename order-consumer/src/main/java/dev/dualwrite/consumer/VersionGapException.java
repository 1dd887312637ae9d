package dev.dualwrite.consumer;

/**
 * An event later than the next version of its order: a version is missing. Never applied silently: retried with
 * backoff (events.consumer.errors.*) while the missing version may still be committed by another consumer, e.g.
 * the previous owner of the partition during a rebalance; then dead-lettered with this message as the reason.
 */
class VersionGapException extends RuntimeException {

    VersionGapException(String message) {
        super(message);
    }
}
