package io.bpfscope.libbpf;

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
            MemorySegment errno = Native.errnoSegment(call);
            MemorySegment btf = (MemorySegment) Libbpf.BTF_PARSE.invokeExact(errno, call.allocateFrom(path.toString()),
                    MemorySegment.NULL);
            if (btf.equals(MemorySegment.NULL)) {
                throw new LibbpfException("btf__parse(" + path + ")", Native.errno(errno), capture.take());
            }
            return new Btf(btf);
        } catch (Throwable t) {
            throw Native.rethrow(t);
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
            return (int) Libbpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, call.allocateFrom(name), kind) > 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            Libbpf.BTF_FREE.invokeExact(btf);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
