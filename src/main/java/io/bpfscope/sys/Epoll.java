package io.bpfscope.sys;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_LONG;
import static io.bpfscope.sys.Native.C_POINTER;
import static io.bpfscope.sys.Native.LIBC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
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
        try {
            this.epollFd = Native.checked("epoll_create1",
                    errno -> (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            this.eventFd = Native.checked("eventfd",
                    errno -> (int) EVENTFD.invokeExact(errno, 0, EFD_CLOEXEC | EFD_NONBLOCK));
        } catch (RuntimeException e) {
            Libc.close(epollFd);
            arena.close();
            throw e;
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
            Native.checked("epoll_ctl(ADD " + fd + ")",
                    errno -> (int) EPOLL_CTL.invokeExact(errno, epollFd, EPOLL_CTL_ADD, fd, event));
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for readiness and passes each ready
     * token to {@code ready} ({@link #INTERRUPTED} for {@link #interrupt}).
     * Returns the number of ready descriptors, 0 on time-out. Platform threads only.
     */
    public int await(int timeoutMillis, LongConsumer ready) {
        Native.Result<Integer> waited = Native.callWithErrno(
                errno -> (int) EPOLL_WAIT.invokeExact(errno, epollFd, events, MAX_EVENTS, timeoutMillis));
        int n = waited.value();
        if (n < 0) {
            if (waited.errno() == EINTR) {
                return 0;
            }
            throw new SystemCallException("epoll_wait", waited.errno());
        }
        for (int i = 0; i < n; i++) {
            ready.accept(events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EVENT_SIZE + EVENT_DATA));
        }
        return n;
    }

    /** Makes a pending or the next {@link #await} return at once. Never blocks; any thread. */
    public void interrupt() {
        long unused = Native.callLong(() -> (long) WRITE.invokeExact(eventFd, one, 8L));
    }

    @Override
    public void close() {
        try {
            Libc.close(eventFd);
        } finally {
            try {
                Libc.close(epollFd);
            } finally {
                arena.close();
            }
        }
    }
}
