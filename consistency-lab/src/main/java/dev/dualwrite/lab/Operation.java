package dev.dualwrite.lab;

import java.util.UUID;

/**
 * One attempt a client made, as the client saw it: the history the verdict judges the system against.
 *
 * @param writer         the writer (pattern) it went to
 * @param type           create, confirm or cancel
 * @param orderId        the order (for a create: the id the service returned, null if it returned none)
 * @param idempotencyKey the create's Idempotency-Key, the same on every retry of one create
 * @param customerId     the order's customer id, which starts with the run id
 * @param startMicros    epoch microseconds when the request was sent
 * @param endMicros      epoch microseconds when the answer (or the failure) came back
 * @param outcome        ok, fail (a definite refusal) or info (indeterminate: timeout, reset, 5xx)
 * @param version        for ok: the order's version in the answer
 * @param detail         the HTTP status or the error, for a person reading the history
 */
record Operation(
        String writer,
        Type type,
        UUID orderId,
        String idempotencyKey,
        String customerId,
        long startMicros,
        long endMicros,
        Outcome outcome,
        Integer version,
        String detail) {

    enum Type {
        CREATE,
        CONFIRM,
        CANCEL
    }

    enum Outcome {
        /** The service answered with success: what it says happened must be in the database. */
        OK,
        /** The service refused (4xx): nothing happened. */
        FAIL,
        /** No definite answer: it may or may not have happened. */
        INFO
    }

    boolean inFlightAt(long epochMicros) {
        return startMicros <= epochMicros && epochMicros <= endMicros;
    }
}
