package io.bpfscope.libbpf;

/**
 * Where a BPF program's records are read from: a BPF ring buffer
 * ({@link RingBuffer}) or a per-CPU perf buffer ({@link PerfBuffer}). Both
 * are read from their memory mappings by {@link #consume}, which never
 * blocks; waiting for data is done elsewhere, by polling {@link #wakeupFds()}.
 */
public interface RecordSource extends AutoCloseable {

    String name();

    /** Descriptors that become readable when the kernel wakes this source's consumer (for epoll). */
    int[] wakeupFds();

    /**
     * Hands every complete record to {@code handler}, in order per producer,
     * and frees its space; returns how many. One consumer at a time.
     */
    int consume(RecordHandler handler);

    /**
     * Records the kernel itself reported lost to this consumer (perf's lost
     * records); ring buffers report none, their programs count failed
     * reserves instead.
     */
    long lost();

    /** Bytes written and not yet consumed. */
    long pending();

    /** Bytes the source can hold (all CPUs' buffers together for perf). */
    long capacity();

    @Override
    void close();
}
