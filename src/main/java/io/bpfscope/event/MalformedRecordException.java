package io.bpfscope.event;

/** A record whose size or contents do not fit the layout in bpfscope.h. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
