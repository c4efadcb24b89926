package io.bpfscope.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A BPF_MAP_TYPE_PERF_EVENT_ARRAY read straight from its per-CPU perf
 * buffers, with no libbpf call and no system call per record: the
 * counterpart of {@link RingBuffer} for kernels without BPF ring buffers.
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
 * data_offset (one page). The data area is mapped once: a record that wraps
 * around its end is copied into a scratch segment so the handler always sees
 * it contiguous. In the header page data_head (offset 1024) is the kernel's
 * write position, read with acquire; data_tail (1032) is ours, written with
 * release once a record has been read, which frees its space.
 *
 * <p>Records are 8-byte aligned, each a {@code perf_event_header} {u32 type;
 * u16 misc; u16 size} then: for PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW a
 * u32 raw size then the raw bytes; for PERF_RECORD_LOST {u64 id; u64 lost}.
 * The kernel rounds {@code 4 + raw size} up to a multiple of 8 and reports
 * the padded size: a 16-byte bpf_perf_event_output() arrives as 20 bytes,
 * a 21-byte one as 28. It does not clear the padding: it skips it, so it
 * holds whatever earlier records left there. Handlers get the raw bytes,
 * padding included, so a record whose exact length matters must carry it.
 * The raw bytes start 4 bytes past an 8-byte boundary (after the 8-byte
 * header and the u32 size), wrapped or not: decode them with unaligned
 * layouts ({@code JAVA_LONG_UNALIGNED}); aligned 8-byte reads throw.
 *
 * <p>One consumer at a time: {@link #consume} is not thread-safe. Close this
 * before its BPF object or not, either is safe: it holds its own descriptor
 * of the map.
 */
public final class PerfBuffer implements RecordSource {

    private static final long DATA_HEAD = 1024;
    private static final long DATA_TAIL = 1032;
    private static final long DATA_OFFSET = 1040;
    private static final long DATA_SIZE = 1048;

    private static final int RECORD_LOST = 2;
    private static final int RECORD_SAMPLE = 9;
    /** struct perf_event_header. */
    private static final int HEADER = 8;
    private static final long HEADER_SIZE = 6;
    /** The sample's u32 raw size, then the raw bytes. */
    private static final int RAW_DATA = HEADER + 4;
    /** struct perf_record_lost: header, u64 id, u64 lost. */
    private static final long LOST_COUNT = HEADER + 8;
    private static final long LOST_RECORD = LOST_COUNT + 8;
    /** header.size is a u16: no record is longer. */
    private static final long MAX_RECORD = 0xffff;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final String name;
    private final Arena arena;
    private final MemorySegment buffer;
    private final int mapFd;
    private final Cpu[] cpus;
    private final int[] fds;
    private final long capacity;
    /** Where wrapped records are made contiguous; one for all CPUs, as there is one consumer. */
    private final MemorySegment scratch;
    /** Written by the consumer only, read by anyone. */
    private volatile long lost;
    private boolean closed;

    /** One CPU's mapping: the header page, then the data area at {@code dataOffset}. */
    private record Cpu(MemorySegment memory, long dataOffset, long dataSize) {
    }

    private PerfBuffer(String name, Arena arena, MemorySegment buffer, int mapFd) {
        this.name = name;
        this.arena = arena;
        this.buffer = buffer;
        this.mapFd = mapFd;
        try {
            int count = Math.toIntExact((long) Libbpf.PERF_BUFFER_BUFFER_CNT.invokeExact(buffer));
            this.cpus = new Cpu[count];
            this.fds = new int[count];
            long total = 0;
            long largest = 0;
            try (Arena call = Arena.ofConfined()) {
                MemorySegment base = call.allocate(Native.C_POINTER);
                MemorySegment size = call.allocate(Native.C_LONG);
                for (int i = 0; i < count; i++) {
                    int fd = (int) Libbpf.PERF_BUFFER_BUFFER_FD.invokeExact(buffer, (long) i);
                    check("perf_buffer__buffer_fd", fd);
                    fds[i] = fd;
                    check("perf_buffer__buffer", (int) Libbpf.PERF_BUFFER_BUFFER.invokeExact(buffer, i, base, size));
                    cpus[i] = map(base.get(Native.C_POINTER, 0), size.get(Native.C_LONG, 0));
                    total += cpus[i].dataSize();
                    largest = Math.max(largest, cpus[i].dataSize());
                }
            }
            this.capacity = total;
            this.scratch = arena.allocate(Math.min(largest, MAX_RECORD + 1), 8);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The mapping libbpf made, as a segment of this buffer's arena: once
     * closed, a stray access fails in Java instead of touching unmapped memory.
     */
    private Cpu map(MemorySegment base, long dataSize) {
        long page = Libc.pageSize();
        MemorySegment header = base.reinterpret(page, arena, null);
        long dataOffset = (long) LONG.getAcquire(header, DATA_OFFSET);
        long kernelSize = (long) LONG.getAcquire(header, DATA_SIZE);
        if (dataOffset == 0) {
            dataOffset = page; // kernels before 4.1 leave both zero; the data area follows the header page
            kernelSize = dataSize;
        }
        if (kernelSize != dataSize || Long.bitCount(dataSize) != 1 || dataOffset != page) {
            throw new IllegalStateException("perf buffer of " + name + ": data area " + kernelSize + " bytes at "
                    + dataOffset + ", libbpf mapped " + dataSize + " after a " + page + "-byte page");
        }
        return new Cpu(base.reinterpret(dataOffset + dataSize, arena, null), dataOffset, dataSize);
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
            String operation = "perf_buffer__new_raw(" + map.name() + ")";
            MemorySegment errno = Native.errnoSegment(call);
            buffer = (MemorySegment) Libbpf.PERF_BUFFER_NEW_RAW.invokeExact(errno, mapFd, (long) pagesPerCpu,
                    PerfEventAttr.bpfOutput(call, wakeupBytes), MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL);
            if (buffer.equals(MemorySegment.NULL)) {
                throw new LibbpfException(operation, Native.errno(errno), capture.take());
            }
            return new PerfBuffer(map.name(), arena, buffer, mapFd);
        } catch (Throwable t) {
            try {
                arena.close();
                free(buffer);
                Libc.close(mapFd);
            } catch (RuntimeException cleanup) {
                t.addSuppressed(cleanup);
            }
            throw Native.rethrow(t);
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

    /** Records the kernel dropped for want of space, as its PERF_RECORD_LOST records reported them. */
    @Override
    public long lost() {
        return lost;
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
        for (Cpu cpu : cpus) {
            pending += (long) LONG.getAcquire(cpu.memory(), DATA_HEAD) - (long) LONG.getAcquire(cpu.memory(), DATA_TAIL);
        }
        return pending;
    }

    /**
     * Hands up to {@code max} samples of the CPUs' buffers to {@code handler}, in order
     * per CPU, adds the kernel's lost-record counts to {@link #lost()}, and
     * frees the space; returns the number of samples handed over. A record's
     * space is freed even when the handler throws; the exception then ends
     * the call, and the records after it wait for the next.
     */
    @Override
    public int consume(RecordHandler handler, int max) {
        int records = 0;
        for (Cpu cpu : cpus) {
            records += consume(cpu, handler, max - records);
        }
        return records;
    }

    private int consume(Cpu cpu, RecordHandler handler, int max) {
        MemorySegment memory = cpu.memory();
        long dataOffset = cpu.dataOffset();
        long dataSize = cpu.dataSize();
        long tail = (long) LONG.getAcquire(memory, DATA_TAIL);
        long head = (long) LONG.getAcquire(memory, DATA_HEAD);
        int records = 0;
        while (head - tail > 0 && records < max) {
            long offset = tail & (dataSize - 1);
            long at = dataOffset + offset;
            // Records are 8-aligned and 8-multiples, so a header never wraps; the rest may.
            int type = memory.get(ValueLayout.JAVA_INT, at);
            int size = Short.toUnsignedInt(memory.get(ValueLayout.JAVA_SHORT, at + HEADER_SIZE));
            if (size < HEADER || size > head - tail) {
                // Not a record the kernel wrote: give the whole backlog up rather than read garbage.
                LONG.setRelease(memory, DATA_TAIL, head);
                throw new IllegalStateException("perf buffer of " + name + ": record of " + size + " bytes at "
                        + tail + " with " + (head - tail) + " written");
            }
            MemorySegment record = memory;
            long start = at;
            if (offset + size > dataSize) {
                long first = dataSize - offset;
                MemorySegment.copy(memory, at, scratch, 0, first);
                MemorySegment.copy(memory, dataOffset, scratch, first, size - first);
                record = scratch;
                start = 0;
            }
            try {
                if (type == RECORD_SAMPLE && size >= RAW_DATA) {
                    int length = record.get(ValueLayout.JAVA_INT, start + HEADER);
                    if (length >= 0 && length <= size - RAW_DATA) {
                        records++;
                        handler.onRecord(record, start + RAW_DATA, length);
                    }
                } else if (type == RECORD_LOST && size >= LOST_RECORD) {
                    lost += record.get(ValueLayout.JAVA_LONG, start + LOST_COUNT);
                }
            } finally {
                // Past the record even when the handler failed: one bad record must not wedge the buffer.
                tail += size;
                LONG.setRelease(memory, DATA_TAIL, tail);
            }
            if (tail == head) {
                head = (long) LONG.getAcquire(memory, DATA_HEAD);
            }
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
        try {
            Libbpf.PERF_BUFFER_FREE.invokeExact(buffer);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void check(String operation, int rc) {
        if (rc < 0) {
            throw LibbpfException.ofReturn(operation + "(" + name + ")", rc, List.of());
        }
    }

    @Override
    public String toString() {
        return "PerfBuffer[" + name + ", " + cpus.length + " CPUs]";
    }
}
