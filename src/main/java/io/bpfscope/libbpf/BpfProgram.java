package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** A program of a {@link BpfObject}; valid while the object is open. */
public final class BpfProgram {

    private final BpfObject owner;
    private final MemorySegment program;

    BpfProgram(BpfObject owner, MemorySegment program) {
        this.owner = owner;
        this.program = program;
    }

    public String name() {
        owner.ensureOpen();
        return Native.string(Native.call(() -> (MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(program)));
    }

    /** The section its SEC() put it in, which says where it attaches (tp/syscalls/sys_enter_write, say). */
    public String section() {
        owner.ensureOpen();
        return Native.string(Native.call(() -> (MemorySegment) Libbpf.PROGRAM_SECTION_NAME.invokeExact(program)));
    }

    /** Whether the object loads this program (all do, unless told otherwise before load). */
    public boolean autoload() {
        owner.ensureOpen();
        return Native.call(() -> (boolean) Libbpf.PROGRAM_AUTOLOAD.invokeExact(program));
    }

    /** Before load: leaves this program out (a variant for other kernels), or puts it back. */
    public void setAutoload(boolean load) {
        owner.ensureOpen();
        int rc = Native.callInt(() -> (int) Libbpf.PROGRAM_SET_AUTOLOAD.invokeExact(program, load));
        if (rc < 0) {
            throw LibbpfException.ofReturn("bpf_program__set_autoload(" + name() + ")", rc, List.of());
        }
    }

    /** The program's fd once loaded; its kernel id is what bpftool lists. */
    public int fd() {
        owner.ensureOpen();
        return Native.callInt(() -> (int) Libbpf.PROGRAM_FD.invokeExact(program));
    }

    /** struct bpf_prog_info: its size in 6.x uapi, and where run_time_ns, run_cnt and recursion_misses sit. */
    private static final long PROG_INFO_SIZE = 232;
    private static final long RUN_TIME_NS = 192;
    private static final long RUN_CNT = 200;
    private static final long RECURSION_MISSES = 208;

    /**
     * What the kernel counted for this program: runs and run time are zeros
     * unless kernel.bpf_stats_enabled is on (see {@link BpfStats}); skipped
     * runs are always counted (kernel 5.12+).
     */
    public ProgramStats stats() {
        owner.ensureOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment info = call.allocate(PROG_INFO_SIZE, 8);
            MemorySegment length = call.allocateFrom(ValueLayout.JAVA_INT, (int) PROG_INFO_SIZE);
            int rc = Native.callInt(() -> (int) Libbpf.OBJ_GET_INFO_BY_FD.invokeExact(fd(), info, length));
            if (rc < 0) {
                throw LibbpfException.ofReturn("bpf_obj_get_info_by_fd(" + name() + ")", rc, List.of());
            }
            int reported = length.get(ValueLayout.JAVA_INT, 0);
            return new ProgramStats(field(info, reported, RUN_CNT), field(info, reported, RUN_TIME_NS),
                    field(info, reported, RECURSION_MISSES));
        }
    }

    /** A u64 of bpf_prog_info, 0 where an older kernel filled in less. */
    private static long field(MemorySegment info, int reported, long offset) {
        return reported >= offset + 8 ? info.get(ValueLayout.JAVA_LONG, offset) : 0;
    }

    /**
     * Attaches where the program's SEC() says (tp/syscalls/... here). The link
     * is destroyed when closed, or when its object closes.
     */
    public BpfLink attach() {
        owner.ensureOpen();
        try (LibbpfLog.Capture capture = LibbpfLog.capture()) {
            Native.Result<MemorySegment> link = Native.callWithErrno(
                    errno -> (MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(errno, program));
            if (link.value().equals(MemorySegment.NULL)) {
                throw new LibbpfException("bpf_program__attach(" + name() + ")", link.errno(), capture.take());
            }
            BpfLink attached = new BpfLink(name(), link.value());
            owner.register(attached);
            return attached;
        }
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name() + "]";
    }
}
