package io.bpfscope.event;

/** A record whose size or contents do not fit the layout in bpfscope.h. */
public final class MalformedRecordException extends RuntimeException {

    private final EventType type;

    /** {@code type}: what the record was to be (an exec for a record of the exec buffer whose kind is unreadable). */
    public MalformedRecordException(EventType type, String message) {
        super(message);
        this.type = type;
    }

    public EventType type() {
        return type;
    }
}
