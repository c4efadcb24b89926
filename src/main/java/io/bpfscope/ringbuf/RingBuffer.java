package io.bpfscope.ringbuf;

import io.bpfscope.buffer.RecordHandler;
import io.bpfscope.buffer.RecordSource;
import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.sys.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A BPF ring buffer read straight from its mapping, with no libbpf call and
 * no system call per record: page 0 holds consumer_pos and is the only
 * writable page; from page 1 on, read-only, producer_pos then (from page 2)
 * the data area mapped twice in a row. {@link RingReader} reads it.
 *
 * <p>One consumer at a time: {@link #consume} is not thread-safe.
 */
public final class RingBuffer implements RecordSource {

    private final String name;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final RingReader reader;

    private RingBuffer(BpfMap map) {
        this.name = map.name();
        this.fd = map.fd();
        long size = Integer.toUnsignedLong(map.maxEntries());
        long page = Libc.pageSize();
        MemorySegment consumer = Libc.mmap(arena, page, Libc.PROT_READ | Libc.PROT_WRITE, fd, 0);
        MemorySegment producer = Libc.mmap(arena, page + 2 * size, Libc.PROT_READ, fd, page);
        this.reader = new RingReader(consumer, producer, page, size);
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

    /** Data area size in bytes. */
    @Override
    public long capacity() {
        return reader.capacity();
    }

    @Override
    public long pending() {
        return reader.pending();
    }

    @Override
    public int consume(RecordHandler handler, int max) {
        return reader.consume(handler, max);
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
