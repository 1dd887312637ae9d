package dev.dualwrite.orders;

import java.util.UUID;

/** No order with this id in this service; answered with 404. */
public class OrderNotFoundException extends RuntimeException {

    public OrderNotFoundException(UUID id) {
        super("No order " + id);
    }
}
