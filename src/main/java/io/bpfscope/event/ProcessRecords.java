package io.bpfscope.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The records of the exec buffer, which carries execs and process exits:
 * told apart by their first field (enum bpfscope_record of bpfscope.h).
 */
public final class ProcessRecords {

    static final int EXEC = 1;
    static final int EXIT = 2;

    private ProcessRecords() {
    }

    /** Decodes one record in place, as an {@link ExecEvent} or an {@link ExitEvent}. */
    public static Event decode(MemorySegment memory, long offset, int length) {
        if (length < Integer.BYTES) {
            throw new MalformedRecordException(EventType.EXEC, "record of " + length + " bytes in the exec buffer");
        }
        int kind = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
        return switch (kind) {
            case EXEC -> ExecEvent.decode(memory, offset, length);
            case EXIT -> ExitEvent.decode(memory, offset, length);
            default -> throw new MalformedRecordException(EventType.EXEC,
                    "record of unknown kind " + kind + " in the exec buffer");
        };
    }
}
