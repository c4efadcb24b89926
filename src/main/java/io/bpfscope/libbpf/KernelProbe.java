package io.bpfscope.libbpf;

import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** libbpf's feature probes: the kernel is asked by loading a tiny program or creating a map, never by its version. */
public final class KernelProbe {

    /** enum bpf_prog_type: the type of bpfscope's syscall programs, and the one helpers are probed for. */
    public static final int PROG_TYPE_TRACEPOINT = 5;

    private static final int PROG_TYPE_SOCKET_FILTER = 1;
    /**
     * struct bpf_insn, little-endian (code, registers, offset, immediate):
     * r0 = 0; r0 += 1; if r0 < 4 goto -2; exit.
     */
    private static final long[] COUNT_TO_FOUR = {
        0x00000000_0000_00_b7L,
        0x00000001_0000_00_07L,
        0x00000004_fffe_00_a5L,
        0x00000000_0000_00_95L,
    };
    private static final int MAP_TYPE_ARRAY = 2;
    private static final int MAP_TYPE_PERCPU_ARRAY = 6;
    /** sizeof(struct bpf_map_create_opts) in libbpf 1.1, and where map_flags sits. */
    private static final long MAP_CREATE_OPTS_SIZE = 48;
    private static final long MAP_CREATE_OPTS_FLAGS = 28;
    private static final int F_MMAPABLE = 1 << 10;
    private static final int ENOENT = 2;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    /** The kernel's own "operation not supported" (include/linux/errno.h), which it also returns to user space. */
    private static final int ENOTSUPP = 524;

    private KernelProbe() {
    }

    /** Whether the kernel maps array maps into user memory (BPF_F_MMAPABLE, 5.5): by creating a one-entry one. */
    public static boolean mmapableArrays() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment opts = call.allocate(MAP_CREATE_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, MAP_CREATE_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, MAP_CREATE_OPTS_FLAGS, F_MMAPABLE);
            return created("bpf_map_create(BPF_F_MMAPABLE)",
                    Native.callInt(() -> (int) Libbpf.MAP_CREATE.invokeExact(MAP_TYPE_ARRAY, MemorySegment.NULL, 4, 8, 1,
                            opts)));
        }
    }

    /**
     * Whether the kernel reads many entries of a per-CPU array in one system
     * call (BPF_MAP_LOOKUP_BATCH: 5.6 for hashes and arrays, 5.13 for per-CPU
     * arrays, the slowest kind to read one by one): by reading a two-entry one so.
     */
    public static boolean batchLookups() {
        try (Arena call = Arena.ofConfined()) {
            int fd = Native.callInt(() -> (int) Libbpf.MAP_CREATE.invokeExact(MAP_TYPE_PERCPU_ARRAY, MemorySegment.NULL, 4,
                    8, 2, MemorySegment.NULL));
            if (fd < 0) {
                throw LibbpfException.ofReturn("bpf_map_create(percpu_array)", fd, List.of());
            }
            try {
                MemorySegment next = call.allocate(ValueLayout.JAVA_LONG);
                MemorySegment keys = call.allocate(ValueLayout.JAVA_INT, 2);
                MemorySegment values = call.allocate(ValueLayout.JAVA_LONG, 2L * BpfMap.possibleCpus());
                MemorySegment count = call.allocateFrom(ValueLayout.JAVA_INT, 2);
                int rc = Native.callInt(() -> (int) Libbpf.MAP_LOOKUP_BATCH.invokeExact(fd, MemorySegment.NULL, next, keys,
                        values, count, MemorySegment.NULL));
                if (rc == 0 || rc == -ENOENT) {
                    return true;
                }
                if (rc == -EINVAL || rc == -ENOTSUPP || rc == -EOPNOTSUPP) {
                    return false;
                }
                throw LibbpfException.ofReturn("bpf_map_lookup_batch", rc, List.of());
            } finally {
                Libc.close(fd);
            }
        }
    }

    /**
     * Whether the verifier accepts a loop it can prove bounded (5.3), by
     * loading a socket filter that counts to four. Earlier verifiers refuse
     * every backward jump.
     */
    public static boolean boundedLoops() {
        return verifierAccepts(COUNT_TO_FOUR);
    }

    /** Whether the kernel loads this socket filter (its struct bpf_insn, each as a little-endian long). */
    static boolean verifierAccepts(long[] program) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment insns = call.allocate(ValueLayout.JAVA_LONG, program.length);
            MemorySegment.copy(program, 0, insns, ValueLayout.JAVA_LONG, 0, program.length);
            MemorySegment name = call.allocateFrom("bpfscope_probe");
            MemorySegment license = call.allocateFrom("GPL");
            return created("bpf_prog_load", Native.callInt(() -> (int) Libbpf.PROG_LOAD.invokeExact(
                    PROG_TYPE_SOCKET_FILTER, name, license, insns, (long) program.length, MemorySegment.NULL)));
        }
    }

    /** Whether the kernel creates maps of this enum bpf_map_type. */
    public static boolean mapType(int type) {
        return answer("libbpf_probe_bpf_map_type(" + type + ")",
                Native.callInt(() -> (int) Libbpf.PROBE_MAP_TYPE.invokeExact(type, MemorySegment.NULL)));
    }

    /** Whether programs of this type may call the helper of this enum bpf_func_id. */
    public static boolean helper(int programType, int helper) {
        return answer("libbpf_probe_bpf_helper(" + programType + ", " + helper + ")",
                Native.callInt(() -> (int) Libbpf.PROBE_HELPER.invokeExact(programType, helper, MemorySegment.NULL)));
    }

    /** A probe map or program: made (closed again), refused as invalid (EINVAL), or an error. */
    private static boolean created(String call, int fd) {
        if (fd == -EINVAL) {
            return false;
        }
        if (fd < 0) {
            throw LibbpfException.ofReturn(call, fd, List.of());
        }
        Libc.close(fd);
        return true;
    }

    private static boolean answer(String call, int rc) {
        if (rc < 0) {
            throw LibbpfException.ofReturn(call, rc, List.of());
        }
        return rc == 1;
    }
}
