package io.bpfscope.perf;

import io.bpfscope.buffer.RecordHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One CPU's perf buffer, read in place: a header page (struct
 * perf_event_mmap_page) whose data_head (offset 1024) is the kernel's write
 * position, read with acquire, and data_tail (1032) ours, written with
 * release once a record is read, which frees its space; then the data area
 * of {@code dataSize} bytes (a power of two) at {@code dataOffset}, mapped
 * once, so a record that wraps around its end is copied into
 * {@code scratch} and the handler always sees it contiguous.
 *
 * <p>Records are 8-byte aligned, each a {@code perf_event_header} {u32 type;
 * u16 misc; u16 size} then: for PERF_RECORD_SAMPLE with PERF_SAMPLE_RAW a
 * u32 raw size then the raw bytes. Records of other types (the kernel's
 * PERF_RECORD_LOST counts) are passed over.
 * The kernel rounds {@code 4 + raw size} up to a multiple of 8 and reports
 * the padded size: a 16-byte bpf_perf_event_output() arrives as 20 bytes,
 * a 21-byte one as 28. It does not clear the padding: it skips it, so it
 * holds whatever earlier records left there. Handlers get the raw bytes,
 * padding included, so a record whose exact length matters must carry it.
 * The raw bytes start 4 bytes past an 8-byte boundary (after the 8-byte
 * header and the u32 size), wrapped or not: decode them with unaligned
 * layouts ({@code JAVA_LONG_UNALIGNED}); aligned 8-byte reads throw.
 *
 * <p>One consumer at a time.
 */
final class PerfRing {

    static final long DATA_HEAD = 1024;
    static final long DATA_TAIL = 1032;
    static final long DATA_OFFSET = 1040;
    static final long DATA_SIZE = 1048;

    static final int RECORD_SAMPLE = 9;
    /** struct perf_event_header. */
    static final int HEADER = 8;
    private static final long HEADER_SIZE = 6;
    /** The sample's u32 raw size, then the raw bytes. */
    private static final int RAW_DATA = HEADER + 4;
    /** header.size is a u16: no record is longer. */
    static final long MAX_RECORD = 0xffff;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final String name;
    private final MemorySegment memory;
    private final long dataOffset;
    private final long dataSize;
    private final MemorySegment scratch;

    /**
     * {@code memory} holds the header page and the data area; {@code scratch}
     * at least {@code min(dataSize, MAX_RECORD + 1)} bytes, 8-aligned.
     */
    PerfRing(String name, MemorySegment memory, long dataOffset, long dataSize, MemorySegment scratch) {
        if (Long.bitCount(dataSize) != 1 || memory.byteSize() < dataOffset + dataSize) {
            throw new IllegalArgumentException("perf buffer of " + name + ": a " + dataSize + "-byte data area at "
                    + dataOffset + " in " + memory.byteSize() + " bytes");
        }
        this.name = name;
        this.memory = memory;
        this.dataOffset = dataOffset;
        this.dataSize = dataSize;
        this.scratch = scratch;
    }

    long dataSize() {
        return dataSize;
    }

    /** Bytes written and not yet consumed. */
    long pending() {
        return (long) LONG.getAcquire(memory, DATA_HEAD) - (long) LONG.getAcquire(memory, DATA_TAIL);
    }

    /**
     * Hands up to {@code max} samples to {@code handler}, in order, passes
     * over the kernel's lost-record counts (the program that failed to write
     * counted those records already), and frees the space; returns the
     * number of samples handed over. A record's space is freed even when the
     * handler throws; the exception then ends the call.
     */
    int consume(RecordHandler handler, int max) {
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
}
