package io.bpfscope.buffer;

/**
 * Where a BPF program's records are read from: a BPF ring buffer
 * (io.bpfscope.ringbuf) or per-CPU perf buffers (io.bpfscope.perf). Both
 * are read from their memory mappings by {@link #consume}, which never
 * blocks; waiting for data is done elsewhere, by polling {@link #wakeupFds()}.
 */
public interface RecordSource extends AutoCloseable {

    String name();

    /** Descriptors that become readable when the kernel wakes this source's consumer (for epoll). */
    int[] wakeupFds();

    /**
     * Hands complete records to {@code handler}, in order per producer, up
     * to {@code max} of them, and frees their space; returns how many. One
     * consumer at a time. The limit lets a reader that never runs dry still
     * give its thread up now and then.
     */
    int consume(RecordHandler handler, int max);

    /** Hands over every complete record. */
    default int consume(RecordHandler handler) {
        return consume(handler, Integer.MAX_VALUE);
    }

    /** Bytes written and not yet consumed. */
    long pending();

    /** Bytes the source can hold (all CPUs' buffers together for perf). */
    long capacity();

    @Override
    void close();
}
