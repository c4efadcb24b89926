package io.bpfscope.ringbuf;

import io.bpfscope.buffer.RecordHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads a BPF ring buffer in place, given its memory in the kernel's
 * layout: {@code consumer} holds consumer_pos at offset 0 and is the only
 * part written; {@code producer} holds producer_pos at offset 0 and, from
 * {@code dataOffset}, the data area of {@code size} bytes (a power of two)
 * twice in a row, so a record that wraps is contiguous. Each record has an
 * 8-byte header, a u32 length with BUSY (bit 31, still being written) and
 * DISCARD (bit 30) flags, and records are 8-byte aligned. Positions and
 * headers are read with acquire, consumer_pos written with release, pairing
 * with the kernel's barriers.
 *
 * <p>One consumer at a time.
 */
final class RingReader {

    static final int BUSY = 1 << 31;
    static final int DISCARD = 1 << 30;
    static final int HEADER = 8;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment consumer;
    private final MemorySegment producer;
    private final long dataOffset;
    private final long mask;

    RingReader(MemorySegment consumer, MemorySegment producer, long dataOffset, long size) {
        if (Long.bitCount(size) != 1 || producer.byteSize() < dataOffset + 2 * size) {
            throw new IllegalArgumentException("ring of " + size + " bytes at " + dataOffset + ", mapped twice, in "
                    + producer.byteSize() + " bytes");
        }
        this.consumer = consumer;
        this.producer = producer;
        this.dataOffset = dataOffset;
        this.mask = size - 1;
    }

    long capacity() {
        return mask + 1;
    }

    /** Bytes written by the producer and not yet consumed, records in progress included. */
    long pending() {
        return (long) LONG.getAcquire(producer, 0L) - (long) LONG.getAcquire(consumer, 0L);
    }

    /**
     * Hands up to {@code max} committed records to {@code handler}, in order,
     * passing over discarded ones, and frees their space; stops at a record
     * still being written. Returns the number of records handed over.
     */
    int consume(RecordHandler handler, int max) {
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
}
