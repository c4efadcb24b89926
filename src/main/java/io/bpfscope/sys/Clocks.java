package io.bpfscope.sys;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The kernel clocks BPF programs stamp records with, to turn them into wall-clock time. */
public final class Clocks {

    private static final MethodHandle CLOCK_GETTIME = Native.downcall(Native.LIBC, "clock_gettime",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int CLOCK_BOOTTIME = 7;

    private Clocks() {
    }

    /**
     * Wall-clock ns minus boot-time ns (bpf_ktime_get_boot_ns), or minus
     * monotonic ns (bpf_ktime_get_ns), read back to back; add it to a
     * record's stamp to get Unix-epoch ns. The smaller of three tries keeps a
     * preemption between the reads out of it.
     */
    public static long realtimeMinus(boolean boottime) {
        int clock = boottime ? CLOCK_BOOTTIME : CLOCK_MONOTONIC;
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            long before = nanos(clock);
            long real = nanos(CLOCK_REALTIME);
            long after = nanos(clock);
            if (after - before < best) {
                best = after - before;
                offset = real - (before + (after - before) / 2);
            }
        }
        return offset;
    }

    private static long nanos(int clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            int rc = Native.callInt(() -> (int) CLOCK_GETTIME.invokeExact(clock, timespec));
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
        }
    }
}
