package io.bpfscope.probe;

/**
 * Something outside bpfscope keeps it from starting. The message is the
 * single line the operator reads: what is wrong and what to do.
 */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String message) {
        super(message);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
