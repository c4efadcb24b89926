package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A BTF file parsed by libbpf: the running kernel's own, or one given for a
 * kernel built without it. Asked for what no feature probe of libbpf 1.1
 * tells (a kfunc), and checked to be a kernel's before it is used.
 */
public final class Btf implements AutoCloseable {

    /** Where a kernel built with CONFIG_DEBUG_INFO_BTF publishes its BTF. */
    public static final Path KERNEL = Path.of("/sys/kernel/btf/vmlinux");

    private static final int KIND_STRUCT = 4;
    private static final int KIND_FUNC = 12;

    private final MemorySegment btf;

    private Btf(MemorySegment btf) {
        this.btf = btf;
    }

    /** Parses a raw BTF file or an ELF file's .BTF section; fails with what libbpf said. */
    public static Btf parse(Path path) {
        try (Arena call = Arena.ofConfined(); LibbpfLog.Capture capture = LibbpfLog.capture()) {
            MemorySegment file = call.allocateFrom(path.toString());
            Native.Result<MemorySegment> parsed = Native.callWithErrno(
                    errno -> (MemorySegment) Libbpf.BTF_PARSE.invokeExact(errno, file, MemorySegment.NULL));
            if (parsed.value().equals(MemorySegment.NULL)) {
                throw new LibbpfException("btf__parse(" + path + ")", parsed.errno(), capture.take());
            }
            return new Btf(parsed.value());
        }
    }

    /** Whether it has a function (a kfunc, say) by this name. */
    public boolean hasFunction(String name) {
        return has(name, KIND_FUNC);
    }

    /** Whether it has a struct by this name: a kernel's BTF has task_struct. */
    public boolean hasStruct(String name) {
        return has(name, KIND_STRUCT);
    }

    private boolean has(String name, int kind) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment wanted = call.allocateFrom(name);
            return Native.callInt(() -> (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, wanted, kind)) > 0;
        }
    }

    @Override
    public void close() {
        Native.run(() -> { Libbpf.BTF_FREE.invokeExact(btf); });
    }
}
