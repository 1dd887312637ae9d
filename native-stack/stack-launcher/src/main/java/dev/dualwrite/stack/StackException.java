package dev.dualwrite.stack;

/** A failure that the person starting the stack can act on; its message says what to do or which log to read. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
