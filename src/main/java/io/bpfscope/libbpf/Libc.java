package io.bpfscope.libbpf;

import static io.bpfscope.libbpf.Native.C_INT;
import static io.bpfscope.libbpf.Native.C_LONG;
import static io.bpfscope.libbpf.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** The few libc functions the binding needs. No shell-outs: the daemon does these itself. */
public final class Libc {

    private static final SymbolLookup LIBC = Native.LINKER.defaultLookup();

    private static final MethodHandle MMAP = Native.downcallWithErrno(LIBC, "mmap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    private static final MethodHandle MUNMAP = Native.downcall(LIBC, "munmap",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    private static final MethodHandle MOUNT = Native.downcallWithErrno(LIBC, "mount",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER));
    private static final MethodHandle GETPAGESIZE = Native.downcall(LIBC, "getpagesize",
            FunctionDescriptor.of(C_INT));
    private static final MethodHandle STRERRORNAME_NP = Native.downcall(LIBC, "strerrorname_np",
            FunctionDescriptor.of(C_POINTER, C_INT));
    private static final MethodHandle STRERROR = Native.downcall(LIBC, "strerror",
            FunctionDescriptor.of(C_POINTER, C_INT));
    /** fcntl(fd, cmd, int): variadic after cmd, so bound with the variadic calling convention. */
    private static final MethodHandle FCNTL_INT = Native.LINKER.downcallHandle(
            LIBC.find("fcntl").orElseThrow(() -> new UnsatisfiedLinkError("symbol fcntl not found")),
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Native.downcallWithErrno(LIBC, "close",
            FunctionDescriptor.of(C_INT, C_INT));
    static final MethodHandle VASPRINTF = Native.downcall(LIBC, "vasprintf",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle FREE = Native.downcall(LIBC, "free",
            FunctionDescriptor.ofVoid(C_POINTER));

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private Libc() {
    }

    public static int pageSize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** "ENOENT" for 2; the number itself for an errno glibc has no name for. */
    public static String errnoName(int errno) {
        try {
            MemorySegment name = (MemorySegment) STRERRORNAME_NP.invokeExact(errno);
            return name.equals(MemorySegment.NULL) ? "errno " + errno : name.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}, unmapped when {@code arena} closes.
     */
    static MemorySegment mmap(Arena arena, long length, int prot, int fd, long offset) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            MemorySegment address = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, length, prot,
                    MAP_SHARED, fd, offset);
            if (address.equals(MAP_FAILED)) {
                throw LibbpfException.ofErrno("mmap", Native.errno(errno));
            }
            return address.reinterpret(length, arena, mapped -> munmap(mapped, length));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void munmap(MemorySegment address, long length) {
        try {
            int unused = (int) MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A close-on-exec duplicate of {@code fd} (the lowest free number), which the caller must {@link #close}. */
    static int dupCloexec(int fd) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            int copy = (int) FCNTL_INT.invokeExact(errno, fd, F_DUPFD_CLOEXEC, 0);
            if (copy < 0) {
                throw LibbpfException.ofErrno("fcntl(" + fd + ", F_DUPFD_CLOEXEC)", Native.errno(errno));
            }
            return copy;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** close(2). The descriptor is gone even when this throws (Linux frees it before reporting EINTR or EIO). */
    static void close(int fd) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            int rc = (int) CLOSE.invokeExact(errno, fd);
            if (rc != 0) {
                throw LibbpfException.ofErrno("close(" + fd + ")", Native.errno(errno));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** mount(2) with no flags and no data; throws with the errno name on failure. */
    public static void mount(String source, String target, String fsType) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            int rc = (int) MOUNT.invokeExact(errno, call.allocateFrom(source), call.allocateFrom(target),
                    call.allocateFrom(fsType), 0L, MemorySegment.NULL);
            if (rc != 0) {
                throw LibbpfException.ofErrno("mount " + fsType + " on " + target, Native.errno(errno));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
