package io.bpfscope.perf;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_LONG;
import static io.bpfscope.sys.Native.C_POINTER;

import io.bpfscope.buffer.RecordHandler;
import io.bpfscope.buffer.RecordSource;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.Libbpf;
import io.bpfscope.libbpf.LibbpfException;
import io.bpfscope.libbpf.LibbpfLog;
import io.bpfscope.sys.Libc;
import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A BPF_MAP_TYPE_PERF_EVENT_ARRAY read straight from its per-CPU perf
 * buffers, with no libbpf call and no system call per record: the
 * counterpart of the BPF ring buffer for kernels without one.
 *
 * <p>Set-up is libbpf 1.1's perf_buffer__new_raw with an attr of our own
 * ({@link PerfEventAttr}): it opens one PERF_COUNT_SW_BPF_OUTPUT event per
 * online CPU, maps it, enables it and stores its fd in the map at the CPU's
 * index. No event callback is given: libbpf 1.1 accepts NULL (it checks
 * only attr), and it would run only inside perf_buffer__poll/consume, which
 * are never called, so there is no upcall that could take the JVM down.
 *
 * <p>perf_buffer__buffer returns, per CPU, the base of the whole mapping,
 * which starts with the one-page {@code struct perf_event_mmap_page}, and
 * the size of the data area alone ({@code page_cnt} pages), which follows at
 * data_offset (one page). Each CPU's buffer is read by a {@link PerfRing}.
 *
 * <p>One consumer at a time: {@link #consume} is not thread-safe. Close this
 * before its BPF object or not, either is safe: it holds its own descriptor
 * of the map.
 */
public final class PerfBuffer implements RecordSource {

    private static final MethodHandle PERF_BUFFER_NEW_RAW = Native.downcallWithErrno(Libbpf.LIB, "perf_buffer__new_raw",
            FunctionDescriptor.of(C_POINTER, C_INT, C_LONG, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    private static final MethodHandle PERF_BUFFER_FREE = Native.downcall(Libbpf.LIB, "perf_buffer__free",
            FunctionDescriptor.ofVoid(C_POINTER));
    private static final MethodHandle PERF_BUFFER_BUFFER_CNT = Native.downcall(Libbpf.LIB, "perf_buffer__buffer_cnt",
            FunctionDescriptor.of(C_LONG, C_POINTER));
    private static final MethodHandle PERF_BUFFER_BUFFER_FD = Native.downcall(Libbpf.LIB, "perf_buffer__buffer_fd",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    /** libbpf 1.0+: the base of one CPU's mmap (header page first) and the size of its data area. */
    private static final MethodHandle PERF_BUFFER_BUFFER = Native.downcall(Libbpf.LIB, "perf_buffer__buffer",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER));
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final String name;
    private final Arena arena;
    private final MemorySegment buffer;
    private final int mapFd;
    private final PerfRing[] cpus;
    private final int[] fds;
    private final long capacity;
    private boolean closed;

    private PerfBuffer(String name, Arena arena, MemorySegment buffer, int mapFd) {
        this.name = name;
        this.arena = arena;
        this.buffer = buffer;
        this.mapFd = mapFd;
        int count = Math.toIntExact(Native.callLong(() -> (long) PERF_BUFFER_BUFFER_CNT.invokeExact(buffer)));
        this.fds = new int[count];
        MemorySegment[] mappings = new MemorySegment[count];
        long total = 0;
        long largest = 0;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment base = call.allocate(Native.C_POINTER);
            MemorySegment size = call.allocate(Native.C_LONG);
            for (int i = 0; i < count; i++) {
                int cpu = i;
                fds[i] = check("perf_buffer__buffer_fd",
                        Native.callInt(() -> (int) PERF_BUFFER_BUFFER_FD.invokeExact(buffer, (long) cpu)));
                check("perf_buffer__buffer",
                        Native.callInt(() -> (int) PERF_BUFFER_BUFFER.invokeExact(buffer, cpu, base, size)));
                mappings[i] = map(base.get(Native.C_POINTER, 0), size.get(Native.C_LONG, 0));
                long dataSize = mappings[i].byteSize() - Libc.pageSize();
                total += dataSize;
                largest = Math.max(largest, dataSize);
            }
        }
        this.capacity = total;
        // Where wrapped records are made contiguous: one for all CPUs, as there is one consumer.
        MemorySegment scratch = arena.allocate(Math.min(largest, PerfRing.MAX_RECORD + 1), 8);
        this.cpus = new PerfRing[count];
        for (int i = 0; i < count; i++) {
            cpus[i] = new PerfRing(name, mappings[i], Libc.pageSize(), mappings[i].byteSize() - Libc.pageSize(),
                    scratch);
        }
    }

    /**
     * The mapping libbpf made, header page and data area, as a segment of
     * this buffer's arena: once closed, a stray access fails in Java instead
     * of touching unmapped memory.
     */
    private MemorySegment map(MemorySegment base, long dataSize) {
        long page = Libc.pageSize();
        MemorySegment header = base.reinterpret(page, arena, null);
        long dataOffset = (long) LONG.getAcquire(header, PerfRing.DATA_OFFSET);
        long kernelSize = (long) LONG.getAcquire(header, PerfRing.DATA_SIZE);
        if (dataOffset == 0) {
            dataOffset = page; // kernels before 4.1 leave both zero; the data area follows the header page
            kernelSize = dataSize;
        }
        if (kernelSize != dataSize || Long.bitCount(dataSize) != 1 || dataOffset != page) {
            throw new IllegalStateException("perf buffer of " + name + ": data area " + kernelSize + " bytes at "
                    + dataOffset + ", libbpf mapped " + dataSize + " after a " + page + "-byte page");
        }
        return base.reinterpret(page + dataSize, arena, null);
    }

    /**
     * Opens a perf buffer of {@code pagesPerCpu} pages (a power of two) on
     * every online CPU for a loaded BPF_MAP_TYPE_PERF_EVENT_ARRAY map. The
     * kernel wakes the consumer of a CPU's buffer by watermark, not per
     * record: when a record takes what was written to it past the next
     * multiple of {@code wakeupBytes} (1 to less than the buffer size), the
     * multiples counting from the start whatever was consumed.
     */
    public static PerfBuffer of(BpfMap map, int pagesPerCpu, long wakeupBytes) {
        if (map.type() != BpfMap.TYPE_PERF_EVENT_ARRAY) {
            throw new IllegalArgumentException(map + " is not a perf event array");
        }
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, not " + pagesPerCpu);
        }
        long dataSize = (long) pagesPerCpu * Libc.pageSize();
        if (wakeupBytes <= 0 || wakeupBytes >= dataSize || wakeupBytes > 0xffff_ffffL) {
            throw new IllegalArgumentException("wakeup watermark " + wakeupBytes + " is not in 1.." + (dataSize - 1)
                    + " (below the " + dataSize + "-byte buffer of each CPU)");
        }
        if (map.fd() < 0) {
            throw new IllegalArgumentException(map + " is not loaded");
        }
        LibbpfLog.install();
        // Our own descriptor of the map: perf_buffer__free deletes the map's entries through it, which must
        // not reach another object's map if the BPF object closes first and its fd number is reused.
        int mapFd = Libc.dupCloexec(map.fd());
        Arena arena = Arena.ofShared();
        MemorySegment buffer = MemorySegment.NULL;
        try (Arena call = Arena.ofConfined(); LibbpfLog.Capture capture = LibbpfLog.capture()) {
            MemorySegment attr = PerfEventAttr.bpfOutput(call, wakeupBytes);
            Native.Result<MemorySegment> opened = Native.callWithErrno(errno -> (MemorySegment)
                    PERF_BUFFER_NEW_RAW.invokeExact(errno, mapFd, (long) pagesPerCpu, attr, MemorySegment.NULL,
                            MemorySegment.NULL, MemorySegment.NULL));
            buffer = opened.value();
            if (buffer.equals(MemorySegment.NULL)) {
                throw new LibbpfException("perf_buffer__new_raw(" + map.name() + ")", opened.errno(), capture.take());
            }
            return new PerfBuffer(map.name(), arena, buffer, mapFd);
        } catch (RuntimeException | Error e) {
            try {
                arena.close();
                free(buffer);
                Libc.close(mapFd);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The per-CPU perf event fds, one per online CPU: each reports readable
     * when the kernel wakes its buffer's consumer, i.e. when wakeupBytes more
     * bytes were written to it. These rather than libbpf's own epoll fd: the
     * caller's epoll watches the kernel's readiness directly, with no epoll
     * instance nested in another, and poll(2) works on them too.
     *
     * <p>Perf reports a wake-up once: the poll that sees it clears it. So
     * after a wake-up {@link #consume} everything, and poll with a bounded
     * timeout, as records short of the watermark wake nobody.
     */
    @Override
    public int[] wakeupFds() {
        return fds.clone();
    }

    /** All CPUs' data areas together, bytes. */
    @Override
    public long capacity() {
        return capacity;
    }

    /** Bytes written and not yet consumed, over all CPUs. */
    @Override
    public long pending() {
        long pending = 0;
        for (PerfRing cpu : cpus) {
            pending += cpu.pending();
        }
        return pending;
    }

    /**
     * Hands up to {@code max} samples of the CPUs' buffers to {@code handler}, in order
     * per CPU, passing over the kernel's lost-record counts, and frees the
     * space; returns the number of samples handed over. A record's
     * space is freed even when the handler throws; the exception then ends
     * the call, and the records after it wait for the next.
     */
    @Override
    public int consume(RecordHandler handler, int max) {
        int records = 0;
        for (PerfRing cpu : cpus) {
            records += cpu.consume(handler, max - records);
        }
        return records;
    }

    /**
     * Unmaps the buffers, closes their events (which leave the map) and the
     * map descriptor. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        // The arena first: from then on no Java access reaches the mappings (a reader still in consume()
        // gets an IllegalStateException), so unmapping them cannot crash anyone.
        arena.close();
        closed = true;
        try {
            free(buffer);
        } finally {
            Libc.close(mapFd);
        }
    }

    private static void free(MemorySegment buffer) {
        Native.run(() -> { PERF_BUFFER_FREE.invokeExact(buffer); });
    }

    private int check(String operation, int rc) {
        if (rc < 0) {
            throw LibbpfException.ofReturn(operation + "(" + name + ")", rc, List.of());
        }
        return rc;
    }

    @Override
    public String toString() {
        return "PerfBuffer[" + name + ", " + cpus.length + " CPUs]";
    }
}
