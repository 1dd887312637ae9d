package dev.dualwrite.consuming;

/** A record that is not an order event of the contract; retrying cannot help, so it goes straight to the DLT. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
