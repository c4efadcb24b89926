package io.bpfscope.bench;

import io.bpfscope.sys.Native;
import io.bpfscope.sys.SystemCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Programs started straight from the harness's JVM with posix_spawn(3):
 * one execve each, of a path given whole. ProcessBuilder starts every
 * program through jspawnhelper, an exec of its own that the daemon would
 * stream and count beside each measured one, and a bare name would add
 * the failed execs of a PATH search.
 */
final class DirectExec {

    private static final MethodHandle POSIX_SPAWN = Native.downcall(Native.LIBC, "posix_spawn",
            FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_POINTER, Native.C_POINTER, Native.C_POINTER,
                    Native.C_POINTER, Native.C_POINTER));
    private static final MethodHandle WAITPID = Native.downcallWithErrno(Native.LIBC, "waitpid",
            FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_INT));
    /** The C library's {@code char **environ}: the programs get the harness's environment. */
    private static final MemorySegment ENVIRON = Native.LIBC.find("environ")
            .orElseThrow(() -> new UnsatisfiedLinkError("symbol environ not found"))
            .reinterpret(Native.C_POINTER.byteSize());
    private static final int WNOHANG = 1;

    private DirectExec() {
    }

    /** Starts {@code argv}, its first word an absolute path; returns the PID. */
    static int spawn(List<String> argv) {
        if (!argv.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + argv.getFirst());
        }
        // The child runs on a copy of these only until its execve, which posix_spawn waits for.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(Native.C_POINTER, argv.size() + 1);
            for (int i = 0; i < argv.size(); i++) {
                words.setAtIndex(Native.C_POINTER, i, arena.allocateFrom(argv.get(i)));
            }
            words.setAtIndex(Native.C_POINTER, argv.size(), MemorySegment.NULL);
            MemorySegment pid = arena.allocate(Native.C_INT);
            MemorySegment path = words.getAtIndex(Native.C_POINTER, 0);
            MemorySegment environment = ENVIRON.get(Native.C_POINTER, 0);
            int error = Native.callInt(() -> (int) POSIX_SPAWN.invokeExact(pid, path, MemorySegment.NULL,
                    MemorySegment.NULL, words, environment));
            if (error != 0) {
                throw new SystemCallException("posix_spawn " + argv.getFirst(), error);
            }
            return pid.get(Native.C_INT, 0);
        }
    }

    /** Waits for the child {@code pid} to end and reaps it; its wait status, 0 for an exit with status 0. */
    static int await(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(Native.C_INT);
            waitpid(pid, status, 0);
            return status.get(Native.C_INT, 0);
        }
    }

    /** Whether the child {@code pid} has ended, reaping it if it has. */
    static boolean reaped(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            return waitpid(pid, arena.allocate(Native.C_INT), WNOHANG) == pid;
        }
    }

    private static int waitpid(int pid, MemorySegment status, int options) {
        return Native.checked("waitpid " + pid, errno -> (int) WAITPID.invokeExact(errno, pid, status, options));
    }
}
