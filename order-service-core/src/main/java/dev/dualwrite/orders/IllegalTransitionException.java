package dev.dualwrite.orders;

import java.util.UUID;

/** A change the lifecycle forbids; answered with 409. */
public class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(UUID id, OrderStatus from, OrderStatus to) {
        super("Order %s is %s and cannot become %s".formatted(id, from, to));
    }

    public IllegalTransitionException(String message) {
        super(message);
    }
}
