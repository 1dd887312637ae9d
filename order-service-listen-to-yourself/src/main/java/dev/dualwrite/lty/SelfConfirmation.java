package dev.dualwrite.lty;

import dev.dualwrite.orders.ClientConfirmation;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Orders of this service are confirmed by the service itself, from its own OrderCreated event ({@link OwnEventsListener}):
 * a client's confirm is refused with 409. Clients learn the outcome by reading the order, or by waiting for it
 * ({@link OrderChangeController}).
 */
@Component
class SelfConfirmation implements ClientConfirmation {

    @Override
    public Optional<String> refusal() {
        return Optional.of(
                "Orders of this service are confirmed by the service itself, from its own OrderCreated event; "
                        + "clients cannot confirm them. Read the order to see its status.");
    }
}
