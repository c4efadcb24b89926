package io.bpfscope.event;

import static io.bpfscope.event.ExitEventLayout.BOOT_NS;
import static io.bpfscope.event.ExitEventLayout.CGROUP;
import static io.bpfscope.event.ExitEventLayout.CGROUP_ID;
import static io.bpfscope.event.ExitEventLayout.CGROUP_PARENT;
import static io.bpfscope.event.ExitEventLayout.COMM;
import static io.bpfscope.event.ExitEventLayout.PID;
import static io.bpfscope.event.ExitEventLayout.PPID;
import static io.bpfscope.event.ExitEventLayout.START_NS;
import static io.bpfscope.event.ExitEventLayout.STATUS;
import static io.bpfscope.event.ExitEventLayout.TID;
import static io.bpfscope.event.ExitEventLayout.UID;

import io.bpfscope.attribution.Workload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A process ended: its last thread exited. {@code status} is what its
 * parent's wait(2) gets.
 *
 * @param startNs    when the process started (forked), on the clock of {@code bootNs}
 * @param tid        the thread that ended last
 * @param comm       the name of the thread that ended last
 * @param cgroupTail as in {@link ExecEvent}
 */
public record ExitEvent(long bootNs, long startNs, long cgroupId, String cgroupTail, int pid, int tid, int ppid,
                        int uid, int status, String comm, Optional<Workload> workload) implements Event {

    /** How a process ended, as bpfscope_exit_total's result label says it. */
    public enum Result {
        SUCCESS,
        FAILURE,
        SIGNAL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** As decoded, not yet attributed. */
    public ExitEvent(long bootNs, long startNs, long cgroupId, String cgroupTail, int pid, int tid, int ppid, int uid,
            int status, String comm) {
        this(bootNs, startNs, cgroupId, cgroupTail, pid, tid, ppid, uid, status, comm, Optional.empty());
    }

    /** The same exit, attributed. */
    public ExitEvent withWorkload(Optional<Workload> attributed) {
        return new ExitEvent(bootNs, startNs, cgroupId, cgroupTail, pid, tid, ppid, uid, status, comm, attributed);
    }

    @Override
    public EventType type() {
        return EventType.EXIT;
    }

    /** The signal that ended the process, or 0 where it exited. */
    public int signal() {
        return status & 0x7f;
    }

    /** The exit code, where it exited rather than being killed. */
    public OptionalInt exitCode() {
        return signal() == 0 ? OptionalInt.of(status >> 8 & 0xff) : OptionalInt.empty();
    }

    public boolean coreDumped() {
        return (status & 0x80) != 0;
    }

    public Result result() {
        if (signal() != 0) {
            return Result.SIGNAL;
        }
        return status == 0 ? Result.SUCCESS : Result.FAILURE;
    }

    /** How long the process lived. */
    public long durationNs() {
        return bootNs - startNs;
    }

    /** The record, its slot, the cgroup tail and a wire form of about 300 bytes. */
    @Override
    public int retainedBytes() {
        return 400 + 2 * cgroupTail.length();
    }

    /** Decodes a record in place; unaligned reads, as {@link ExecEvent#decode}. */
    public static ExitEvent decode(MemorySegment memory, long offset, int length) {
        if (length < ExitEventLayout.LAYOUT.byteSize()) {
            throw new MalformedRecordException(EventType.EXIT,
                    "exit record of " + length + " bytes, shorter than its " + ExitEventLayout.LAYOUT.byteSize());
        }
        return new ExitEvent(
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + BOOT_NS),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + START_NS),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + CGROUP_ID),
                ExecEvent.cgroupTail(memory, offset + CGROUP_PARENT, offset + CGROUP),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PPID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + UID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + STATUS),
                CommCache.comm(memory, offset + COMM));
    }
}
