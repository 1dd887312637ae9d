package dev.dualwrite.orders;

import java.util.Optional;

/**
 * Whether clients may confirm orders ({@code POST /api/orders/{id}/confirm}). They may, unless the service brings a
 * bean of its own that says why not: the listen-to-yourself service confirms its orders itself.
 */
@FunctionalInterface
public interface ClientConfirmation {

    ClientConfirmation ALLOWED = Optional::empty;

    /** Empty when a client may confirm; else the reason it may not, answered as 409. */
    Optional<String> refusal();
}
