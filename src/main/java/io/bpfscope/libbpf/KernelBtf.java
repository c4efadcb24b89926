package io.bpfscope.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The running kernel's own BTF, asked for what no feature probe of libbpf 1.1 tells. */
public final class KernelBtf {

    private static final int KIND_FUNC = 12;

    private KernelBtf() {
    }

    /** Whether the kernel has a function (a kfunc, say) by this name, from /sys/kernel/btf/vmlinux. */
    public static boolean hasFunction(String name) {
        try (Arena arena = Arena.ofConfined(); LibbpfLog.Capture capture = LibbpfLog.capture()) {
            MemorySegment errno = Native.errnoSegment(arena);
            MemorySegment btf = (MemorySegment) Libbpf.BTF_LOAD_VMLINUX.invokeExact(errno);
            if (btf.equals(MemorySegment.NULL)) {
                throw new LibbpfException("btf__load_vmlinux_btf", Native.errno(errno), capture.take());
            }
            try {
                return (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, arena.allocateFrom(name), KIND_FUNC) > 0;
            } finally {
                Libbpf.BTF_FREE.invokeExact(btf);
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
