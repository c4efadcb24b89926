package io.bpfscope.event;

/**
 * Why events of one type were lost before they reached the hub: the stage
 * and reason a lost message names, with the type of the events it counts.
 * The hub keeps a running total per cause.
 */
public enum LossCause {
    WRITE_BUFFER_FULL(LossStage.KERNEL, "buffer_full", EventType.WRITE),
    EXEC_BUFFER_FULL(LossStage.KERNEL, "buffer_full", EventType.EXEC),
    EXIT_BUFFER_FULL(LossStage.KERNEL, "buffer_full", EventType.EXIT),
    /** An execve whose entry record the kernel evicted before it returned. */
    EXEC_UNMATCHED(LossStage.KERNEL, "exec_unmatched", EventType.EXEC),
    /** An execve the program had no room to follow to its result. */
    EXEC_UNTRACKED(LossStage.KERNEL, "exec_untracked", EventType.EXEC),
    WRITE_MALFORMED(LossStage.READER, "malformed", EventType.WRITE),
    EXEC_MALFORMED(LossStage.READER, "malformed", EventType.EXEC),
    EXIT_MALFORMED(LossStage.READER, "malformed", EventType.EXIT);

    private final LossStage stage;
    private final String reason;
    private final EventType type;

    LossCause(LossStage stage, String reason, EventType type) {
        this.stage = stage;
        this.reason = reason;
        this.type = type;
    }

    public LossStage stage() {
        return stage;
    }

    public String reason() {
        return reason;
    }

    public EventType type() {
        return type;
    }

    /** A record of this type that found no room in its buffer. */
    public static LossCause bufferFull(EventType type) {
        return switch (type) {
            case WRITE -> WRITE_BUFFER_FULL;
            case EXEC -> EXEC_BUFFER_FULL;
            case EXIT -> EXIT_BUFFER_FULL;
        };
    }

    /** A record of this type that the reader could not decode. */
    public static LossCause malformed(EventType type) {
        return switch (type) {
            case WRITE -> WRITE_MALFORMED;
            case EXEC -> EXEC_MALFORMED;
            case EXIT -> EXIT_MALFORMED;
        };
    }
}
