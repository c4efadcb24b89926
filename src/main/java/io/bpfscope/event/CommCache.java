package io.bpfscope.event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * comm fields as Strings without a copy per record: a write stream repeats
 * the same few comms millions of times, so the 16 bytes are read as two
 * longs and looked up in a small direct-mapped table of those seen last.
 * Entries are immutable and published racily: a race costs a miss, never a
 * wrong name.
 */
final class CommCache {

    private record Entry(long low, long high, String comm) {
    }

    private static final int SIZE = 1024;
    private static final Entry[] ENTRIES = new Entry[SIZE];

    private CommCache() {
    }

    /** The comm in the 16 bytes at {@code offset}: what {@link CString#read} would return. */
    static String comm(MemorySegment memory, long offset) {
        long low = memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        long high = memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
        int index = (int) (mix(low * 31 + high) & (SIZE - 1));
        Entry entry = ENTRIES[index];
        if (entry != null && entry.low == low && entry.high == high) {
            return entry.comm;
        }
        String comm = CString.read(memory, offset, 16);
        ENTRIES[index] = new Entry(low, high, comm);
        return comm;
    }

    private static long mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
