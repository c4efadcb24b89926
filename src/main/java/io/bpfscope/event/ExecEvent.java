package io.bpfscope.event;

import static io.bpfscope.event.ExecEventLayout.ARGC;
import static io.bpfscope.event.ExecEventLayout.ARGV;
import static io.bpfscope.event.ExecEventLayout.ARGV_TRUNCATED;
import static io.bpfscope.event.ExecEventLayout.ARGV_USED;
import static io.bpfscope.event.ExecEventLayout.BOOT_NS;
import static io.bpfscope.event.ExecEventLayout.CGROUP;
import static io.bpfscope.event.ExecEventLayout.CGROUP_ID;
import static io.bpfscope.event.ExecEventLayout.CGROUP_NAME_LEN;
import static io.bpfscope.event.ExecEventLayout.CGROUP_PARENT;
import static io.bpfscope.event.ExecEventLayout.COMM;
import static io.bpfscope.event.ExecEventLayout.FILENAME;
import static io.bpfscope.event.ExecEventLayout.FILENAME_LEN;
import static io.bpfscope.event.ExecEventLayout.FILENAME_TRUNCATED;
import static io.bpfscope.event.ExecEventLayout.FLAGS;
import static io.bpfscope.event.ExecEventLayout.GID;
import static io.bpfscope.event.ExecEventLayout.PID;
import static io.bpfscope.event.ExecEventLayout.PPID;
import static io.bpfscope.event.ExecEventLayout.RET;
import static io.bpfscope.event.ExecEventLayout.TID;
import static io.bpfscope.event.ExecEventLayout.UID;

import io.bpfscope.attribution.Workload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An execve(2): who called it, what it ran and how it ended. {@code ret} is 0
 * or a negative errno; on success {@code comm} is the new program's.
 *
 * @param cgroupTail the last two names of the caller's cgroup path, "/PARENT/NAME", as they were at
 *                   the exec: they name the container even when the cgroup is gone by the time
 *                   the event is attributed ("/" where the kernel could not say)
 * @param workload   the caller's container and pod, once attributed (empty for host processes)
 */
public record ExecEvent(long bootNs, long cgroupId, String cgroupTail, int pid, int tid, int ppid, int uid, int gid,
                        int ret, String comm, String filename, boolean filenameTruncated, List<String> argv,
                        boolean argvTruncated, Optional<Workload> workload) implements Event {

    public ExecEvent {
        argv = List.copyOf(argv);
    }

    /** As decoded, not yet attributed. */
    public ExecEvent(long bootNs, long cgroupId, String cgroupTail, int pid, int tid, int ppid, int uid, int gid,
            int ret, String comm, String filename, boolean filenameTruncated, List<String> argv, boolean argvTruncated) {
        this(bootNs, cgroupId, cgroupTail, pid, tid, ppid, uid, gid, ret, comm, filename, filenameTruncated, argv,
                argvTruncated, Optional.empty());
    }

    /** The same exec with other arguments (see {@link ArgvMode}). */
    public ExecEvent withArgv(List<String> shown) {
        return new ExecEvent(bootNs, cgroupId, cgroupTail, pid, tid, ppid, uid, gid, ret, comm, filename,
                filenameTruncated, shown, argvTruncated, workload);
    }

    /** The same exec, attributed. */
    public ExecEvent withWorkload(Optional<Workload> attributed) {
        return new ExecEvent(bootNs, cgroupId, cgroupTail, pid, tid, ppid, uid, gid, ret, comm, filename,
                filenameTruncated, argv, argvTruncated, attributed);
    }

    @Override
    public EventType type() {
        return EventType.EXEC;
    }

    /**
     * The record, its slot, its own strings (40 bytes of headers each) and a
     * wire form holding the same characters again: about 700 bytes for a
     * short command line, as a heap histogram of a full ring showed.
     */
    @Override
    public int retainedBytes() {
        long chars = (long) cgroupTail.length() + filename.length();
        for (String arg : argv) {
            chars += arg.length();
        }
        return (int) Math.min(Integer.MAX_VALUE, 400 + 2 * chars + 40L * (argv.size() + 2));
    }

    /**
     * Decodes a record in place (see {@link io.bpfscope.libbpf.RecordHandler}). Unaligned reads:
     * perf buffers hand records over 4 bytes past an 8-byte boundary.
     */
    public static ExecEvent decode(MemorySegment memory, long offset, int length) {
        if (length < ARGV) {
            throw new MalformedRecordException(EventType.EXEC,
                    "exec record of " + length + " bytes, shorter than its header " + ARGV);
        }
        int argvUsed = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGV_USED);
        if (argvUsed < 0 || argvUsed > length - ARGV) {
            throw new MalformedRecordException(EventType.EXEC,
                    "exec record of " + length + " bytes claims " + argvUsed + " bytes of argv");
        }
        int flags = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + FLAGS);
        return new ExecEvent(
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + BOOT_NS),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + CGROUP_ID),
                cgroupTail(memory, offset + CGROUP_PARENT, offset + CGROUP),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + TID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + PPID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + UID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + GID),
                memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RET),
                CommCache.comm(memory, offset + COMM),
                CString.read(memory, offset + FILENAME, FILENAME_LEN),
                (flags & FILENAME_TRUNCATED) != 0,
                arguments(memory, offset + ARGV, argvUsed, memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + ARGC)),
                (flags & ARGV_TRUNCATED) != 0);
    }

    /** "/PARENT/NAME" from the two cgroup names a record carries. */
    static String cgroupTail(MemorySegment memory, long parent, long name) {
        return "/" + CString.read(memory, parent, CGROUP_NAME_LEN) + "/" + CString.read(memory, name, CGROUP_NAME_LEN);
    }

    /** argc NUL-terminated strings in used bytes; a truncated last one may lack its NUL. */
    private static List<String> arguments(MemorySegment memory, long start, int used, int argc) {
        List<String> argv = new ArrayList<>(Math.clamp(argc, 0, 128));
        long limit = start + used;
        for (long at = start; at < limit && argv.size() < argc; ) {
            long end = CString.end(memory, at, limit - at);
            argv.add(CString.decode(memory, at, end));
            at = end + 1;
        }
        return argv;
    }
}
