package io.bpfscope.libbpf;

import static io.bpfscope.libbpf.Native.C_INT;
import static io.bpfscope.libbpf.Native.C_LONG;
import static io.bpfscope.libbpf.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.LongConsumer;

/**
 * An edge-triggered epoll set plus an eventfd to interrupt it, for the one
 * platform thread that waits on buffer descriptors. {@link #await} blocks in
 * native code and must never be called from a virtual thread: it would pin
 * its carrier.
 */
public final class Epoll implements AutoCloseable {

    private static final SymbolLookup LIBC = Native.LINKER.defaultLookup();
    private static final MethodHandle EPOLL_CREATE1 = Native.downcallWithErrno(LIBC, "epoll_create1",
            FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle EPOLL_CTL = Native.downcallWithErrno(LIBC, "epoll_ctl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    private static final MethodHandle EPOLL_WAIT = Native.downcallWithErrno(LIBC, "epoll_wait",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle EVENTFD = Native.downcallWithErrno(LIBC, "eventfd",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle WRITE = Native.downcall(LIBC, "write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle CLOSE = Native.downcall(LIBC, "close",
            FunctionDescriptor.of(C_INT, C_INT));

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 0x001;
    private static final int EPOLLET = 1 << 31;
    private static final int EINTR = 4;
    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned (16) elsewhere. */
    private static final long EVENT_SIZE = "amd64".equals(System.getProperty("os.arch")) ? 12 : 16;
    private static final long EVENT_DATA = EVENT_SIZE == 12 ? 4 : 8;
    private static final int MAX_EVENTS = 64;
    /** Reported by {@link #await} for the interrupting eventfd. */
    public static final long INTERRUPTED = -1;

    private final Arena arena = Arena.ofShared();
    private final int epollFd;
    private final int eventFd;
    private final MemorySegment events;
    private final MemorySegment one;

    public Epoll() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            this.epollFd = checkFd("epoll_create1", (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC), errno);
            this.eventFd = checkFd("eventfd", (int) EVENTFD.invokeExact(errno, 0, EFD_CLOEXEC | EFD_NONBLOCK), errno);
        } catch (Throwable t) {
            arena.close();
            throw Native.rethrow(t);
        }
        this.events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
        this.one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
        add(eventFd, INTERRUPTED);
    }

    /** Watches {@code fd} for readability, edge-triggered; {@link #await} reports it as {@code token}. */
    public void add(int fd, long token) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment event = call.allocate(EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN | EPOLLET);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, EVENT_DATA, token);
            MemorySegment errno = Native.errnoSegment(call);
            int rc = (int) EPOLL_CTL.invokeExact(errno, epollFd, EPOLL_CTL_ADD, fd, event);
            if (rc < 0) {
                throw LibbpfException.ofErrno("epoll_ctl(ADD " + fd + ")", Native.errno(errno));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for readiness and passes each ready
     * token to {@code ready} ({@link #INTERRUPTED} for {@link #interrupt}).
     * Returns the number of ready descriptors, 0 on time-out. Platform threads only.
     */
    public int await(int timeoutMillis, LongConsumer ready) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment errno = Native.errnoSegment(call);
            int n = (int) EPOLL_WAIT.invokeExact(errno, epollFd, events, MAX_EVENTS, timeoutMillis);
            if (n < 0) {
                int error = Native.errno(errno);
                if (error == EINTR) {
                    return 0;
                }
                throw LibbpfException.ofErrno("epoll_wait", error);
            }
            for (int i = 0; i < n; i++) {
                ready.accept(events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EVENT_SIZE + EVENT_DATA));
            }
            return n;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Makes a pending or the next {@link #await} return at once. Never blocks; any thread. */
    public void interrupt() {
        try {
            long written = (long) WRITE.invokeExact(eventFd, one, 8L);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    @Override
    public void close() {
        try {
            int eventClosed = (int) CLOSE.invokeExact(eventFd);
            int epollClosed = (int) CLOSE.invokeExact(epollFd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            arena.close();
        }
    }

    private static int checkFd(String operation, int fd, MemorySegment errno) {
        if (fd < 0) {
            throw LibbpfException.ofErrno(operation, Native.errno(errno));
        }
        return fd;
    }
}
