package io.bpfscope.sys;

/** A failed system or C library call: the operation, and the errno with its name and meaning. */
public class SystemCallException extends RuntimeException {

    private final String operation;
    private final int errno;

    public SystemCallException(String operation, int errno) {
        this(operation, errno, operation + " failed: " + Libc.errnoName(errno) + " (" + Libc.strerror(errno) + ")");
    }

    /** For a subclass that words the message itself. */
    protected SystemCallException(String operation, int errno, String message) {
        super(message);
        this.operation = operation;
        this.errno = errno;
    }

    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Libc.errnoName(errno);
    }

    /** What the error code means, in words. */
    public String reason() {
        return Libc.strerror(errno);
    }
}
