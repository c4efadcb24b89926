package io.bpfscope.event;

import static io.bpfscope.event.WriteEventLayout.BOOT_NS;
import static io.bpfscope.event.WriteEventLayout.CGROUP_ID;
import static io.bpfscope.event.WriteEventLayout.COMM;
import static io.bpfscope.event.WriteEventLayout.COUNT;
import static io.bpfscope.event.WriteEventLayout.FD;
import static io.bpfscope.event.WriteEventLayout.PID;
import static io.bpfscope.event.WriteEventLayout.SIZE;
import static io.bpfscope.event.WriteEventLayout.TID;

import io.bpfscope.attribution.Workload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/** A write(2) by a traced process, as sys_enter_write saw it. */
public record WriteEvent(long bootNs, long cgroupId, int pid, int tid, int fd, long count, String comm,
                         Optional<Workload> workload) implements Event {

    /** As decoded, not yet attributed. */
    public WriteEvent(long bootNs, long cgroupId, int pid, int tid, int fd, long count, String comm) {
        this(bootNs, cgroupId, pid, tid, fd, count, comm, Optional.empty());
    }

    /** The same write, attributed. */
    public WriteEvent withWorkload(Optional<Workload> attributed) {
        return new WriteEvent(bootNs, cgroupId, pid, tid, fd, count, comm, attributed);
    }

    @Override
    public EventType type() {
        return EventType.WRITE;
    }

    /**
     * The record, its slot and a wire form of about 270 bytes, as a heap
     * histogram of a full ring showed; comm and workload are shared.
     */
    @Override
    public int retainedBytes() {
        return 352;
    }

    /**
     * Decodes a record in place (see {@link io.bpfscope.libbpf.RecordHandler}). Unaligned reads:
     * perf buffers hand records over 4 bytes past an 8-byte boundary.
     */
    public static WriteEvent decode(MemorySegment memory, long offset, int length) {
        if (length < SIZE) {
            throw new MalformedRecordException(EventType.WRITE, "write record of " + length + " bytes, expected " + SIZE);
        }
        return new WriteEvent(
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + BOOT_NS),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + CGROUP_ID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + FD),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + COUNT),
                CommCache.comm(memory, offset + COMM));
    }
}
