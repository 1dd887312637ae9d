package dev.dualwrite.consumer;

import dev.dualwrite.consuming.InvalidEventException;

/**
 * A new event with a version the order has already passed (a reordered or conflicting event). Waiting cannot make it
 * applicable, so it is dead-lettered at once, with this message as the reason.
 */
class StaleEventException extends InvalidEventException {

    StaleEventException(String message) {
        super(message);
    }
}
