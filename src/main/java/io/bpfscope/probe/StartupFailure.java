package io.bpfscope.probe;

import org.jboss.logging.Logger;

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

    /**
     * Logs the one line and stops the process with status 1. Halt rather
     * than exit: nothing is loaded yet (start-up cleans up after itself), and
     * a normal stop would go on to log a start-up banner and a stack trace
     * that bury the one line that matters.
     */
    public void haltProcess(Logger log) {
        log.error(getMessage());
        Runtime.getRuntime().halt(1);
    }
}
