package io.bpfscope.perf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code struct perf_event_attr} (uapi linux/perf_event.h) of a BPF
 * output event, the event bpf_perf_event_output() writes to: a software
 * event, PERF_COUNT_SW_BPF_OUTPUT, sampling the raw bytes the program hands
 * over, with wake-ups by byte watermark.
 */
final class PerfEventAttr {

    /**
     * PERF_ATTR_SIZE_VER0. Every field set here lies in the first 64 bytes,
     * and every kernel accepts this size (it zero-fills what it knows past it).
     */
    static final long SIZE = 64;

    private static final long TYPE = 0;
    private static final long SIZE_FIELD = 4;
    private static final long CONFIG = 8;
    private static final long SAMPLE_PERIOD = 16;
    private static final long SAMPLE_TYPE = 24;
    /** The u64 of single-bit flags: disabled is bit 0, watermark bit 14. */
    private static final long FLAGS = 40;
    /** union { wakeup_events; wakeup_watermark; } */
    private static final long WAKEUP_WATERMARK = 48;

    static final int PERF_TYPE_SOFTWARE = 1;
    static final long PERF_COUNT_SW_BPF_OUTPUT = 10;
    static final long PERF_SAMPLE_RAW = 1L << 10;
    static final long FLAG_WATERMARK = 1L << 14;

    private PerfEventAttr() {
    }

    /**
     * An attr that wakes the consumer once {@code wakeupBytes} more bytes
     * were written to a CPU's buffer, instead of once per record (as libbpf's
     * perf_buffer__new does with wakeup_events = 1). The kernel caps the
     * watermark at the buffer size.
     */
    static MemorySegment bpfOutput(Arena arena, long wakeupBytes) {
        if (wakeupBytes <= 0 || wakeupBytes > 0xffff_ffffL) {
            throw new IllegalArgumentException("wakeup watermark " + wakeupBytes + " is not a positive u32");
        }
        MemorySegment attr = arena.allocate(SIZE, 8);
        attr.set(ValueLayout.JAVA_INT, TYPE, PERF_TYPE_SOFTWARE);
        attr.set(ValueLayout.JAVA_INT, SIZE_FIELD, (int) SIZE);
        attr.set(ValueLayout.JAVA_LONG, CONFIG, PERF_COUNT_SW_BPF_OUTPUT);
        // As libbpf sets it: every bpf_perf_event_output() call is one sample.
        attr.set(ValueLayout.JAVA_LONG, SAMPLE_PERIOD, 1L);
        attr.set(ValueLayout.JAVA_LONG, SAMPLE_TYPE, PERF_SAMPLE_RAW);
        attr.set(ValueLayout.JAVA_LONG, FLAGS, FLAG_WATERMARK);
        attr.set(ValueLayout.JAVA_INT, WAKEUP_WATERMARK, (int) wakeupBytes);
        return attr;
    }
}
