package io.bpfscope.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** libbpf's feature probes: the kernel is asked by loading a tiny program or creating a map, never by its version. */
public final class KernelProbe {

    /** enum bpf_prog_type: the type of bpfscope's syscall programs, and the one helpers are probed for. */
    public static final int PROG_TYPE_TRACEPOINT = 5;

    private static final int MAP_TYPE_ARRAY = 2;
    /** sizeof(struct bpf_map_create_opts) in libbpf 1.1, and where map_flags sits. */
    private static final long MAP_CREATE_OPTS_SIZE = 48;
    private static final long MAP_CREATE_OPTS_FLAGS = 28;
    private static final int F_MMAPABLE = 1 << 10;
    private static final int EINVAL = 22;

    private KernelProbe() {
    }

    /** Whether the kernel maps array maps into user memory (BPF_F_MMAPABLE, 5.5): by creating a one-entry one. */
    public static boolean mmapableArrays() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment opts = call.allocate(MAP_CREATE_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, MAP_CREATE_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, MAP_CREATE_OPTS_FLAGS, F_MMAPABLE);
            int fd = (int) Libbpf.MAP_CREATE.invokeExact(MAP_TYPE_ARRAY, MemorySegment.NULL, 4, 8, 1, opts);
            if (fd == -EINVAL) {
                return false;
            }
            if (fd < 0) {
                throw LibbpfException.ofReturn("bpf_map_create(BPF_F_MMAPABLE)", fd, List.of());
            }
            Libc.close(fd);
            return true;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether the kernel creates maps of this enum bpf_map_type. */
    public static boolean mapType(int type) {
        try {
            return answer("libbpf_probe_bpf_map_type(" + type + ")",
                    (int) Libbpf.PROBE_MAP_TYPE.invokeExact(type, MemorySegment.NULL));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether programs of this type may call the helper of this enum bpf_func_id. */
    public static boolean helper(int programType, int helper) {
        try {
            return answer("libbpf_probe_bpf_helper(" + programType + ", " + helper + ")",
                    (int) Libbpf.PROBE_HELPER.invokeExact(programType, helper, MemorySegment.NULL));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static boolean answer(String call, int rc) {
        if (rc < 0) {
            throw LibbpfException.ofReturn(call, rc, List.of());
        }
        return rc == 1;
    }
}
