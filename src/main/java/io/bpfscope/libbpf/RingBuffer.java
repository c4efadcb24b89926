package io.bpfscope.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A BPF ring buffer read straight from its mapping, with no libbpf call and
 * no system call per record.
 *
 * <p>The kernel's layout: page 0 holds consumer_pos and is the only writable
 * page; from page 1 on, read-only, producer_pos then (from page 2) the data
 * area mapped twice in a row, so a record that wraps is contiguous. Each
 * record has an 8-byte header, a u32 length with BUSY (bit 31, still being
 * written) and DISCARD (bit 30) flags, and records are 8-byte aligned.
 * Positions and headers are read with acquire, consumer_pos written with
 * release, pairing with the kernel's barriers.
 *
 * <p>One consumer at a time: {@link #consume} is not thread-safe.
 */
public final class RingBuffer implements RecordSource {

    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final String name;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final long dataOffset;
    private final long mask;

    private RingBuffer(BpfMap map) {
        this.name = map.name();
        this.fd = map.fd();
        long size = Integer.toUnsignedLong(map.maxEntries());
        long page = Libc.pageSize();
        this.consumer = Libc.mmap(arena, page, Libc.PROT_READ | Libc.PROT_WRITE, fd, 0);
        this.producer = Libc.mmap(arena, page + 2 * size, Libc.PROT_READ, fd, page);
        this.dataOffset = page;
        this.mask = size - 1;
    }

    /** Maps a loaded BPF_MAP_TYPE_RINGBUF map; the mapping lives until {@link #close()}. */
    public static RingBuffer of(BpfMap map) {
        if (map.type() != BpfMap.TYPE_RINGBUF) {
            throw new IllegalArgumentException(map + " is not a ring buffer");
        }
        return new RingBuffer(map);
    }

    @Override
    public String name() {
        return name;
    }

    /** The map's fd: epoll on it reports readable when the kernel wakes consumers. */
    @Override
    public int[] wakeupFds() {
        return new int[] {fd};
    }

    @Override
    public long lost() {
        return 0;
    }

    /** Data area size in bytes. */
    @Override
    public long capacity() {
        return mask + 1;
    }

    /** Bytes written by the producer and not yet consumed, records in progress included. */
    @Override
    public long pending() {
        return (long) LONG.getAcquire(producer, 0L) - (long) LONG.getAcquire(consumer, 0L);
    }

    /**
     * Hands every committed record to {@code handler}, in order, and frees
     * its space; stops at a record still being written. Returns the number
     * of records handed over.
     */
    @Override
    public int consume(RecordHandler handler, int max) {
        long consumed = (long) LONG.getAcquire(consumer, 0L);
        long produced = (long) LONG.getAcquire(producer, 0L);
        int records = 0;
        while (consumed < produced && records < max) {
            long header = dataOffset + (consumed & mask);
            int length = (int) INT.getAcquire(producer, header);
            if ((length & BUSY) != 0) {
                break;
            }
            int size = length & ~(BUSY | DISCARD);
            try {
                if ((length & DISCARD) == 0) {
                    handler.onRecord(producer, header + HEADER, size);
                    records++;
                }
            } finally {
                // Past the record even when the handler failed: one bad record must not wedge the ring.
                consumed += (size + HEADER + 7L) & ~7L;
                LONG.setRelease(consumer, 0L, consumed);
            }
            if (consumed >= produced) {
                produced = (long) LONG.getAcquire(producer, 0L);
            }
        }
        return records;
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "RingBuffer[" + name + "]";
    }
}
