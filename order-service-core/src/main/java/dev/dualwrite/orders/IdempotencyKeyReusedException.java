package dev.dualwrite.orders;

/**
 * An Idempotency-Key already used for a different order body; answered with 422 (the IETF idempotency-key draft,
 * and Stripe): replaying the first order would tell the client its second request succeeded.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key) {
        super("The Idempotency-Key '%s' was used for an order with a different body; use a new key for a new order"
                .formatted(key));
    }
}
