package io.bpfscope.sys;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_LONG;
import static io.bpfscope.sys.Native.C_POINTER;
import static io.bpfscope.sys.Native.LIBC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** The few libc functions the binding needs. No shell-outs: the daemon does these itself. */
public final class Libc {

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
    private static final MethodHandle FCNTL_INT = Native.downcallWithErrno(LIBC, "fcntl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Native.downcallWithErrno(LIBC, "close",
            FunctionDescriptor.of(C_INT, C_INT));

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private Libc() {
    }

    public static int pageSize() {
        return Native.callInt(() -> (int) GETPAGESIZE.invokeExact());
    }

    /** "ENOENT" for 2; the number itself for an errno glibc has no name for. */
    public static String errnoName(int errno) {
        String name = Native.string(Native.call(() -> (MemorySegment) STRERRORNAME_NP.invokeExact(errno)));
        return name == null ? "errno " + errno : name;
    }

    public static String strerror(int errno) {
        return Native.string(Native.call(() -> (MemorySegment) STRERROR.invokeExact(errno)));
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}, unmapped when {@code arena} closes.
     */
    public static MemorySegment mmap(Arena arena, long length, int prot, int fd, long offset) {
        Native.Result<MemorySegment> mapped = Native.callWithErrno(errno -> (MemorySegment) MMAP.invokeExact(errno,
                MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset));
        if (mapped.value().equals(MAP_FAILED)) {
            throw new SystemCallException("mmap", mapped.errno());
        }
        return mapped.value().reinterpret(length, arena, address -> munmap(address, length));
    }

    private static void munmap(MemorySegment address, long length) {
        int unused = Native.callInt(() -> (int) MUNMAP.invokeExact(address, length));
    }

    /** A close-on-exec duplicate of {@code fd} (the lowest free number), which the caller must {@link #close}. */
    public static int dupCloexec(int fd) {
        return Native.checked("fcntl(" + fd + ", F_DUPFD_CLOEXEC)",
                errno -> (int) FCNTL_INT.invokeExact(errno, fd, F_DUPFD_CLOEXEC, 0));
    }

    /** close(2). The descriptor is gone even when this throws (Linux frees it before reporting EINTR or EIO). */
    public static void close(int fd) {
        Native.checked("close(" + fd + ")", errno -> (int) CLOSE.invokeExact(errno, fd));
    }

    /** mount(2) with no flags and no data; throws with the errno name on failure. */
    public static void mount(String source, String target, String fsType) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment sourceText = call.allocateFrom(source);
            MemorySegment targetText = call.allocateFrom(target);
            MemorySegment typeText = call.allocateFrom(fsType);
            Native.checked("mount " + fsType + " on " + target, errno -> (int) MOUNT.invokeExact(errno, sourceText,
                    targetText, typeText, 0L, MemorySegment.NULL));
        }
    }
}
